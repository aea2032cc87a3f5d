"""Zeek logs: dns.log (query), http.log (Host header) and ssl.log (TLS server name, what reveals HTTPS services).

Zeek writes TSV with ``#separator``, ``#fields`` and ``#types`` header lines (several header blocks may follow each
other when logs are concatenated), or JSON lines when ``LogAscii::use_json`` is set; both are read. The user is the
http.log ``username`` when present, else the originating address ``id.orig_h``. Bytes: ``response_body_len`` +
``request_body_len`` for HTTP; ssl.log and dns.log carry no byte counts.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from mue.discovery.readers import scanner
from mue.discovery.readers.base import (
    Aggregator,
    Progress,
    ReadResult,
    file_size,
    gettext_noop,
    numbered_lines,
    open_text,
)
from mue.discovery.readers.scanner import text_lines

HOST_FIELD = {"zeek-dns": "query", "zeek-http": "host", "zeek-ssl": "server_name"}
NO_HOST = {"zeek-dns": gettext_noop("DNS query without a name"),
           "zeek-http": gettext_noop("HTTP request without a Host"),
           "zeek-ssl": gettext_noop("TLS connection without a server name (SNI)")}


MAX_BYTES = 10**18  # a byte count of 19 digits or more is not one (nor is a negative one)


def _int(value: str | int | None) -> int:
    try:
        count = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0
    return count if 0 <= count < MAX_BYTES else 0


def _layout(fields: list[str], host_field: str) -> tuple:
    """Where each needed column sits in a ``#fields`` header (None when absent): a TSV line is then read by index,
    without building a record per line."""
    where = {name: i for i, name in enumerate(fields)}
    return (len(fields), where.get("ts"), where.get(host_field), where.get("username"), where.get("id.orig_h"),
            where.get("response_body_len"), where.get("request_body_len"))


@dataclass
class _State:
    """What the header lines read so far say: the separator, the last ``#fields`` and its layout, the unset values."""

    host_field: str
    no_host: str
    separator: str = "\t"
    fields: list[str] = field(default_factory=list)
    layout: tuple | None = None
    unset: set[str] = field(default_factory=lambda: set(UNSET))


HEADER_LINES = 64  # a first header block longer than this is not one


def _header_line(state: _State, line: str) -> None:
    """A ``#`` line: ``#separator``, ``#fields`` and ``#unset_field`` change how the lines after it are read."""
    if line.startswith("#separator"):
        raw = line.split(" ", 1)[1].strip()
        state.separator = bytes(raw, "ascii").decode("unicode_escape") if raw.startswith("\\x") else raw
    elif line.startswith("#fields"):
        state.fields = line.rstrip("\r\n").split(state.separator)[1:]
        state.layout = _layout(state.fields, state.host_field)
    elif line.startswith("#unset_field"):
        state.unset.add(line.rstrip("\r\n").split(state.separator, 1)[-1])


def first_header(path: Path, host_field: str, no_host: str) -> tuple[_State, int] | None:
    """What the file's first header block says, and how many lines it has; None when the file does not start with
    one (or no ``#fields`` in it)."""
    state = _State(host_field, no_host)
    with open_text(path) as fh:
        for n, line in enumerate(fh):
            if not line.startswith("#"):
                return (state, n) if state.fields else None
            _header_line(state, line)
            if n > HEADER_LINES:
                return None
    return (state, n + 1) if state.fields else None


UNSET = ("-", "(empty)", "")  # Zeek's unset and empty values (a #unset_field header may add one)
_LAYOUT_HEADERS = ("#separator", "#fields", "#unset_field")


class _LayoutChanged(Exception):
    """A header line handed back by the scanner would change the layout the scanner reads with."""


def read_zeek(path: Path, fmt: str, progress: Progress | None = None, engine: str | None = None,
              threads: int | None = None) -> ReadResult:
    """Aggregate one Zeek log of the given kind (zeek-dns, zeek-http, zeek-ssl).

    TSV with one header block goes through the C scanner when it is built, else DuckDB; anything else (several
    header blocks, as concatenated logs have; JSON records) is read line by line. ``engine``: ``"scanner"``,
    ``"duckdb"`` or ``"lines"`` to choose (a file the chosen engine cannot read goes to the line reader).
    """
    if engine in (None, "scanner") and scanner.available():
        found = _read_scanned(path, fmt, progress, threads)
        if found is not None:
            return found
    if engine in (None, "duckdb"):
        from mue.discovery.readers.zeek_duckdb import read_zeek_duckdb

        found = read_zeek_duckdb(path, fmt, HOST_FIELD[fmt], NO_HOST[fmt], progress)
        if found is not None:
            return found
    result = ReadResult(path=str(path), format=fmt, size=file_size(path))
    agg = Aggregator()
    state = _State(HOST_FIELD[fmt], NO_HOST[fmt])
    for number, line in numbered_lines(path, progress):
        _zeek_line(state, result, agg.add, number, line)
    result.rows = agg.rows()
    return result


def _read_scanned(path: Path, fmt: str, progress: Progress | None, threads: int | None) -> ReadResult | None:
    """The C scanner with the layout of the first header block, or None when the file needs the line reader."""
    header = first_header(path, HOST_FIELD[fmt], NO_HOST[fmt])
    if header is None:
        return None
    state, header_lines = header
    separator = state.separator
    if len(separator) != 1 or not separator.isascii() or not state.unset <= set(UNSET) or "ts" not in state.fields:
        return None
    count, ts_at, host_at, user_at, orig_at, resp_at, req_at = state.layout
    result = ReadResult(path=str(path), format=fmt, size=file_size(path))
    handed_back = ReadResult(path=str(path), format=fmt, size=0)
    agg = Aggregator()

    def deferred(number: int, raw: bytes) -> int:
        lines = text_lines(raw)
        for i, line in enumerate(lines):
            if line.startswith(_LAYOUT_HEADERS):
                raise _LayoutChanged
            _zeek_line(state, handed_back, agg.add, number + i, line + "\n")
        return len(lines)

    def make():
        def at(i: int | None) -> int:
            return -1 if i is None else i

        return scanner.Scanner("zeek", delimiter=ord(separator), width=count, at_ts=at(ts_at), at_user=at(user_at),
                               at_host=at(host_at), at_orig=at(orig_at), at_bytes=at(resp_at), at_bytes2=at(req_at))

    try:
        scanned = scanner.scan_file(path, make, progress, threads, deferred, skip_lines=header_lines)
    except _LayoutChanged:
        return None
    if scanned is None:
        return None
    handed_back.rows = agg.rows()
    if scanned.ignored:
        result.ignore(state.no_host, scanned.ignored)
    scanner.merge_into(result, scanned, _SCANNER_REASONS, handed_back)
    return result


_SCANNER_REASONS = {1: gettext_noop("not as many fields as the #fields header announces"),
                    2: gettext_noop("unreadable line"), 3: gettext_noop("no valid ts")}


def _zeek_line(state: _State, result: ReadResult, add, number: int, line: str) -> None:
    """One line of a Zeek log: a header line updates ``state``, a data line adds to the totals."""
    if line.startswith("#"):
        _header_line(state, line)
        return
    if not line.strip():
        return
    result.lines += 1
    if line.lstrip().startswith("{"):
        _json_line(result, add, number, line, state.host_field, state.no_host, state.unset)
        return
    if state.layout is None:
        result.bad_line(number, gettext_noop("data before any #fields header"), line)
        return
    count, ts_at, host_at, user_at, orig_at, resp_at, req_at = state.layout
    values = line.rstrip("\r\n").split(state.separator)
    if len(values) != count:
        result.bad_line(number, gettext_noop("not as many fields as the #fields header announces"), line)
        return
    try:
        ts = _finite(float(values[ts_at]))  # type: ignore[index]
    except (TypeError, ValueError):
        result.bad_line(number, gettext_noop("no valid ts"), line)
        return
    host = values[host_at] if host_at is not None else ""
    if host in state.unset:
        result.ignore(state.no_host)  # a TLS session without SNI, an HTTP/1.0 request without Host
        return
    user = values[user_at] if user_at is not None else ""
    if user in state.unset:
        user = values[orig_at] if orig_at is not None else ""
    nbytes = 0
    if resp_at is not None:
        nbytes += _int(values[resp_at])
    if req_at is not None:
        nbytes += _int(values[req_at])
    add(ts, user, host, nbytes)


def _finite(value: float) -> float:
    if not math.isfinite(value):  # "nan" and "inf" are floats, not times
        raise ValueError(value)
    return value


def _json_line(result: ReadResult, add, number: int, line: str, host_field: str, no_host: str, unset: set) -> None:
    """One JSON record (``LogAscii::use_json``)."""
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):  # RecursionError: a line of deeply nested JSON
        result.bad_line(number, gettext_noop("invalid JSON"), line)
        return
    try:
        ts = _finite(float(record["ts"]))
    except (KeyError, TypeError, ValueError):
        result.bad_line(number, gettext_noop("no valid ts"), line)
        return
    host = str(record.get(host_field) or "")
    if host in unset:
        result.ignore(no_host)
        return
    user = str(record.get("username") or "")
    if user in unset:
        user = str(record.get("id.orig_h") or "")
    add(ts, user, host, _int(record.get("response_body_len")) + _int(record.get("request_body_len")))
