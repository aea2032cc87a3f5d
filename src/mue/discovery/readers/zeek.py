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


def _layout(fields: list[str], host_field: str) -> tuple:
    """Where each needed column sits in a ``#fields`` header (None when absent): a TSV line is then read by index,
    without building a record per line."""
    where = {name: i for i, name in enumerate(fields)}
    return (len(fields), where.get("ts"), where.get(host_field), where.get("username"), where.get("id.orig_h"),
            where.get("response_body_len"), where.get("request_body_len"))


def read_zeek(path: Path, fmt: str, progress: Progress | None = None, engine: str | None = None) -> ReadResult:
    """Aggregate one Zeek log of the given kind (zeek-dns, zeek-http, zeek-ssl): TSV with one header block through
    DuckDB, anything else line by line (``engine="lines"`` forces the line reader)."""
    if engine != "lines":
        from mue.discovery.readers.zeek_duckdb import read_zeek_duckdb

        found = read_zeek_duckdb(path, fmt, HOST_FIELD[fmt], NO_HOST[fmt], progress)
        if found is not None:
            return found
    result = ReadResult(path=str(path), format=fmt, size=file_size(path))
    agg = Aggregator()
    add = agg.add
    host_field = HOST_FIELD[fmt]
    no_host = NO_HOST[fmt]
    separator = "\t"
    layout: tuple | None = None
    unset = {"-", "(empty)", ""}
    for number, line in numbered_lines(path, progress):
        if line.startswith("#"):
            if line.startswith("#separator"):
                raw = line.split(" ", 1)[1].strip()
                separator = bytes(raw, "ascii").decode("unicode_escape") if raw.startswith("\\x") else raw
            elif line.startswith("#fields"):
                layout = _layout(line.rstrip("\r\n").split(separator)[1:], host_field)
            elif line.startswith("#unset_field"):
                unset.add(line.rstrip("\r\n").split(separator, 1)[-1])
            continue
        if not line.strip():
            continue
        result.lines += 1
        if line.lstrip().startswith("{"):
            _json_line(result, add, number, line, host_field, no_host, unset)
            continue
        if layout is None:
            result.bad_line(number, gettext_noop("data before any #fields header"), line)
            continue
        count, ts_at, host_at, user_at, orig_at, resp_at, req_at = layout
        values = line.rstrip("\r\n").split(separator)
        if len(values) != count:
            result.bad_line(number, gettext_noop("not as many fields as the #fields header announces"), line)
            continue
        try:
            ts = float(values[ts_at])  # type: ignore[index]
        except (TypeError, ValueError):
            result.bad_line(number, gettext_noop("no valid ts"), line)
            continue
        host = values[host_at] if host_at is not None else ""
        if host in unset:
            result.ignore(no_host)  # a TLS session without SNI, an HTTP/1.0 request without Host
            continue
        user = values[user_at] if user_at is not None else ""
        if user in unset:
            user = values[orig_at] if orig_at is not None else ""
        nbytes = 0
        if resp_at is not None:
            nbytes += _int(values[resp_at])
        if req_at is not None:
            nbytes += _int(values[req_at])
        add(ts, user, host, nbytes)
    result.rows = agg.rows()
    return result


def _json_line(result: ReadResult, add, number: int, line: str, host_field: str, no_host: str, unset: set) -> None:
    """One JSON record (``LogAscii::use_json``)."""
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):  # RecursionError: a line of deeply nested JSON
        result.bad_line(number, gettext_noop("invalid JSON"), line)
        return
    try:
        ts = float(record["ts"])
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
