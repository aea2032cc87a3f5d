"""Zeek logs: dns.log (query), http.log (Host header) and ssl.log (TLS server name, what reveals HTTPS services).

Zeek writes TSV with ``#separator``, ``#fields`` and ``#types`` header lines (several header blocks may follow each
other when logs are concatenated), or JSON lines when ``LogAscii::use_json`` is set; both are read. The user is the
http.log ``username`` when present, else the originating address ``id.orig_h``. Bytes: ``response_body_len`` +
``request_body_len`` for HTTP; ssl.log and dns.log carry no byte counts.
"""

from __future__ import annotations

import json
from pathlib import Path

from mue.discovery.readers.base import Aggregator, Progress, ReadResult, file_size, gettext_noop, numbered_lines

HOST_FIELD = {"zeek-dns": "query", "zeek-http": "host", "zeek-ssl": "server_name"}
NO_HOST = {"zeek-dns": gettext_noop("DNS query without a name"),
           "zeek-http": gettext_noop("HTTP request without a Host"),
           "zeek-ssl": gettext_noop("TLS connection without a server name (SNI)")}


def _int(value: str | int | None) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0


def read_zeek(path: Path, fmt: str, progress: Progress | None = None) -> ReadResult:
    """Aggregate one Zeek log of the given kind (zeek-dns, zeek-http, zeek-ssl)."""
    result = ReadResult(path=str(path), format=fmt, size=file_size(path))
    agg = Aggregator()
    host_field = HOST_FIELD[fmt]
    separator = "\t"
    fields: list[str] = []
    unset = {"-", "(empty)", ""}
    for number, line in numbered_lines(path, progress):
        if line.startswith("#"):
            if line.startswith("#separator"):
                raw = line.split(" ", 1)[1].strip()
                separator = bytes(raw, "ascii").decode("unicode_escape") if raw.startswith("\\x") else raw
            elif line.startswith("#fields"):
                fields = line.rstrip("\r\n").split(separator)[1:]
            elif line.startswith("#unset_field"):
                unset.add(line.rstrip("\r\n").split(separator, 1)[-1])
            continue
        if not line.strip():
            continue
        result.lines += 1
        if line.lstrip().startswith("{"):
            try:
                record = json.loads(line)
            except ValueError:
                result.bad_line(number, gettext_noop("invalid JSON"), line)
                continue
        elif fields:
            values = line.rstrip("\r\n").split(separator)
            if len(values) != len(fields):
                result.bad_line(number, gettext_noop("not as many fields as the #fields header announces"), line)
                continue
            record = dict(zip(fields, values, strict=True))
        else:
            result.bad_line(number, gettext_noop("data before any #fields header"), line)
            continue
        try:
            ts = float(record["ts"])
        except (KeyError, TypeError, ValueError):
            result.bad_line(number, gettext_noop("no valid ts"), line)
            continue
        host = str(record.get(host_field) or "")
        if host in unset:
            result.ignore(NO_HOST[fmt])  # a TLS session without SNI, an HTTP/1.0 request without Host
            continue
        user = str(record.get("username") or "")
        if user in unset:
            user = str(record.get("id.orig_h") or "")
        nbytes = _int(record.get("response_body_len")) + _int(record.get("request_body_len"))
        agg.add(ts, user, host, nbytes)
    result.rows = agg.rows()
    return result
