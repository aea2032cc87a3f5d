"""Log readers: one function per format, and the detection of a file's format from its first lines."""

from __future__ import annotations

import json
import re
from pathlib import Path

from mue.core.inputs import bounded_lines, check_log
from mue.discovery.readers.base import Progress, ReadResult, open_text
from mue.discovery.readers.csvlog import parse_mapping, read_csv_log
from mue.discovery.readers.dns import read_adguard, read_bind, read_pihole, read_unbound
from mue.discovery.readers.squid import read_squid
from mue.discovery.readers.zeek import read_zeek

FORMATS = ("squid", "zeek-dns", "zeek-http", "zeek-ssl", "pihole", "adguard", "unbound", "bind", "csv")
# Where usage observations say the use was seen (UsageObservation.source).
SOURCE = {"squid": "proxy", "zeek-http": "zeek", "zeek-ssl": "zeek", "zeek-dns": "dns", "pihole": "dns",
          "adguard": "dns", "unbound": "dns", "bind": "dns", "csv": "csv"}

_SQUID = re.compile(r"^\d{9,11}\.\d+ +\d+ \S+ \S+/\d+ \d+ ")
_DNSMASQ = re.compile(r"(?:dnsmasq|pihole-FTL)\[\d+\]: ")
_UNBOUND = re.compile(r"unbound\[\d+:\d+\] ")
_BIND = re.compile(r"client (?:@\S+ )?[\d.:a-fA-F]+#\d+ .*query: ")


class UnknownFormat(ValueError):
    """The format of a file could not be recognised from its first lines."""


def detect(path: Path) -> str:
    """The format of a log file, from its first non-empty lines (gzip is looked through)."""
    lines: list[str] = []
    with open_text(path) as fh:
        for line in bounded_lines(fh):
            if line.strip():
                lines.append(line)
            if len(lines) >= 20:
                break
    for line in lines:
        if line.startswith("#path"):
            kind = line.split()[-1]
            if f"zeek-{kind}" in FORMATS:
                return f"zeek-{kind}"
        if line.lstrip().startswith("{"):
            try:
                record = json.loads(line)
            except (ValueError, RecursionError):  # RecursionError: a line of deeply nested JSON
                continue
            if "QH" in record and "T" in record:
                return "adguard"
            if "id.orig_h" in record:
                for fmt, key in (("zeek-ssl", "server_name"), ("zeek-dns", "query"), ("zeek-http", "uri")):
                    if key in record:
                        return fmt
        if _SQUID.match(line):
            return "squid"
        if _DNSMASQ.search(line):
            return "pihole"
        if _UNBOUND.search(line):
            return "unbound"
        if _BIND.search(line):
            return "bind"
    if lines and ("," in lines[0] or ";" in lines[0]) and not lines[0][:1].isdigit():
        return "csv"
    raise UnknownFormat(f"{path}: format not recognised; give --format ({', '.join(FORMATS)})")


def read(path: Path, fmt: str, mapping: str | None = None, progress: Progress | None = None,
         threads: int | None = None) -> ReadResult:
    """Read one file in the given format (``auto`` detects it), within the log limits (:mod:`mue.core.inputs`)."""
    check_log(path)
    if fmt == "auto":
        fmt = detect(path)
    if fmt == "squid":
        return read_squid(path, progress, threads=threads)
    if fmt.startswith("zeek-"):
        return read_zeek(path, fmt, progress, threads=threads)
    dns_servers = {"pihole": read_pihole, "adguard": read_adguard, "unbound": read_unbound, "bind": read_bind}
    if fmt in dns_servers:
        return dns_servers[fmt](path, progress, threads=threads)
    if fmt == "csv":
        return read_csv_log(path, parse_mapping(mapping), progress, threads=threads)
    raise UnknownFormat(f"unknown format {fmt!r} (known: auto, {', '.join(FORMATS)})")


__all__ = ["FORMATS", "SOURCE", "ReadResult", "UnknownFormat", "detect", "read"]
