"""A generic CSV export (an SSO sign-in log, a firewall or cloud proxy export) with a column mapping.

The mapping names the columns holding ``timestamp``, ``user``, ``host`` (a host name or a URL) and optionally
``bytes``; by default columns with those names. Times are ISO 8601 (a naive time is UTC) or Unix epoch seconds.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext

from mue.discovery.readers import scanner
from mue.discovery.readers.base import (
    Aggregator,
    Progress,
    ReadResult,
    authority_of,
    file_size,
    gettext_noop,
    open_binary,
    open_text,
)

DEFAULT_MAPPING = {"timestamp": "timestamp", "user": "user", "host": "host", "bytes": "bytes"}
NO_HOST = gettext_noop("no host name")
UNREADABLE = gettext_noop("unreadable line")  # a value over the csv module's limit, a line over 1 MiB


def parse_mapping(text: str | None) -> dict[str, str]:
    """``timestamp=Date,user=UPN,host=App URL`` -> the mapping (unnamed keys keep their defaults)."""
    mapping = dict(DEFAULT_MAPPING)
    for part in (text or "").split(","):
        if not part.strip():
            continue
        key, _, column = part.partition("=")
        key = key.strip()
        if key not in DEFAULT_MAPPING or not column.strip():
            raise ValueError(gettext("bad mapping %(part)r: expected one of %(keys)s = a column name")
                             % {"part": part, "keys": ", ".join(DEFAULT_MAPPING)})
        mapping[key] = column.strip()
    return mapping


def parse_time(value: str) -> float:
    """Unix epoch seconds or ISO 8601 (a naive time is UTC); ValueError for anything else, "nan" and "inf" too."""
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        if not math.isfinite(seconds):
            raise ValueError(value)
        return seconds
    when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.timestamp()


@dataclass(frozen=True)
class _Columns:
    """Where the mapped values are in a row (-1: no bytes column), and how many columns the header names."""

    width: int
    ts: int
    user: int
    host: int
    nbytes: int


def read_csv_log(path: Path, mapping: dict[str, str] | None = None, progress: Progress | None = None,
                 threads: int | None = None, engine: str | None = None) -> ReadResult:
    """Aggregate a CSV file with a header line, mapping its columns to timestamp, user, host and bytes.

    With the C scanner when it is built and the dialect is one it splits as the csv module does (``engine``:
    ``"scanner"`` or ``"python"`` to choose): it reads the lines whose values are plain (a number or a plain ISO
    8601 time, no Unicode space around them) and hands any other back to :func:`_csv_row`; a file where a quoted
    value runs onto the next line is read in Python from the start.
    """
    mapping = mapping or DEFAULT_MAPPING
    with open_text(path) as fh:
        sample = fh.readline()
    dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|") if sample.strip() else csv.excel
    header = next(csv.reader([sample], dialect=dialect), [])
    missing = [mapping[k] for k in ("timestamp", "user", "host") if mapping[k] not in header]
    if missing:
        raise ValueError(gettext("%(path)s: no column %(missing)s (columns: %(columns)s); "
                                 "give --map timestamp=...,user=...,host=...")
                         % {"path": path, "missing": ", ".join(missing), "columns": ", ".join(header)})
    last = {name: i for i, name in enumerate(header)}  # a repeated name: its last column, as DictReader
    columns = _Columns(len(header), last[mapping["timestamp"]], last[mapping["user"]], last[mapping["host"]],
                       last.get(mapping["bytes"], -1))
    use_scanner = engine == "scanner" or (engine is None and scanner.available())
    if use_scanner and _scannable(path, dialect):
        result = _read_scanned(path, dialect, columns, progress, threads)
        if result is not None:
            return result
    return _read_python(path, dialect, columns, progress)


def _scannable(path: Path, dialect) -> bool:
    """Whether the C scanner splits lines in this dialect as the csv module does, and the header line ends as
    the text reader ends it (a lone carriage return would end it sooner)."""
    simple = (len(dialect.delimiter) == 1 and dialect.delimiter.isascii() and dialect.escapechar is None
              and not getattr(dialect, "strict", False) and dialect.quoting == csv.QUOTE_MINIMAL
              and (dialect.quotechar is None or (len(dialect.quotechar) == 1 and dialect.quotechar.isascii()))
              and dialect.quotechar != dialect.delimiter)
    if not simple:
        return False
    with open_binary(path) as fh:
        first = fh.readline(1 << 20)
    return b"\r" not in first.rstrip(b"\r\n") and not first.endswith(b"\r")


def _read_scanned(path: Path, dialect, columns: _Columns, progress: Progress | None,
                  threads: int | None) -> ReadResult | None:
    result = ReadResult(path=str(path), format="csv", size=file_size(path))
    handed_back = ReadResult(path=str(path), format="csv", size=0)
    agg = Aggregator()

    def deferred(number: int, raw: bytes) -> int:  # the scanner hands back no line holding a carriage return
        rows = csv.reader([raw.decode("utf-8", "replace")], dialect=dialect)
        _next_row(handed_back, agg, number, rows, columns, dialect.delimiter)
        return 1

    def make():
        return scanner.Scanner("csv", delimiter=ord(dialect.delimiter),
                               quotechar=ord(dialect.quotechar) if dialect.quotechar else -1,
                               doublequote=bool(dialect.doublequote), skipinitialspace=bool(dialect.skipinitialspace),
                               width=columns.width, at_ts=columns.ts, at_user=columns.user, at_host=columns.host,
                               at_bytes=columns.nbytes)

    scanned = scanner.scan_file(path, make, progress, threads, deferred, skip_lines=1)
    if scanned is None:
        return None
    handed_back.rows = agg.rows()
    if scanned.ignored:
        result.ignore(NO_HOST, scanned.ignored)
    scanner.merge_into(result, scanned, {2: UNREADABLE}, handed_back)
    return result


def _read_python(path: Path, dialect, columns: _Columns, progress: Progress | None) -> ReadResult:
    result = ReadResult(path=str(path), format="csv", size=file_size(path))
    agg = Aggregator()
    with open_text(path, progress) as fh:
        fh.readline()  # the header
        # Plain lists, not one dictionary per line (DictReader): the same values, and the line's text is only
        # rebuilt, as DictReader's values, for a line that is reported.
        rows = csv.reader(fh, dialect=dialect)
        number = 2
        while _next_row(result, agg, number, rows, columns, dialect.delimiter):
            number += 1
    result.rows = agg.rows()
    return result


def _next_row(result: ReadResult, agg: Aggregator, number: int, rows, at: _Columns, delimiter: str) -> bool:
    """Read the next record of ``rows`` (a csv.reader); False at the end. A record the csv module refuses (a value
    over its limit) is an unreadable line: the reader goes on with the next one."""
    try:
        row = next(rows)
    except StopIteration:
        return False
    except csv.Error:
        result.lines += 1
        result.bad_line(number, UNREADABLE, "")
        return True
    _csv_row(result, agg, number, row, at, delimiter)
    return True


def _byte_count(value: str) -> int:
    """A byte count: a whole or decimal number (``1.5e3`` too), empty for none; ValueError when negative, not
    finite or of 19 digits or more."""
    count = float(value or 0)
    if not 0 <= count < 1e18:
        raise ValueError(value)
    return int(count)


def _csv_row(result: ReadResult, agg: Aggregator, number: int, row: list[str], at: _Columns, delimiter: str) -> None:
    size = len(row)
    if size <= at.width and not any(row):
        return
    result.lines += 1
    try:
        ts = parse_time(row[at.ts] if at.ts < size else "")
        host = authority_of((row[at.host] if at.host < size else "").strip())
        nbytes = _byte_count(row[at.nbytes] if at.nbytes < size else "") if at.nbytes >= 0 else 0
    except (TypeError, ValueError, AttributeError):
        values = row[:at.width] + ([str(row[at.width:])] if size > at.width else [])
        result.bad_line(number, gettext_noop("unreadable time, host or bytes"), delimiter.join(values))
        return
    if not host:
        result.ignore(NO_HOST)
        return
    agg.add(ts, row[at.user] if at.user < size else "", host, nbytes)
