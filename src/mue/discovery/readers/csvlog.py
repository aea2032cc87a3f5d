"""A generic CSV export (an SSO sign-in log, a firewall or cloud proxy export) with a column mapping.

The mapping names the columns holding ``timestamp``, ``user``, ``host`` (a host name or a URL) and optionally
``bytes``; by default columns with those names. Times are ISO 8601 (a naive time is UTC) or Unix epoch seconds.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.utils.translation import gettext

from mue.discovery.readers.base import (
    Aggregator,
    Progress,
    ReadResult,
    authority_of,
    file_size,
    gettext_noop,
    open_text,
)

DEFAULT_MAPPING = {"timestamp": "timestamp", "user": "user", "host": "host", "bytes": "bytes"}


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
    value = value.strip()
    try:
        return float(value)
    except ValueError:
        pass
    when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.timestamp()


def read_csv_log(path: Path, mapping: dict[str, str] | None = None, progress: Progress | None = None) -> ReadResult:
    """Aggregate a CSV file with a header line, mapping its columns to timestamp, user, host and bytes."""
    mapping = mapping or DEFAULT_MAPPING
    result = ReadResult(path=str(path), format="csv", size=file_size(path))
    agg = Aggregator()
    with open_text(path, progress) as fh:
        sample = fh.readline()
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|") if sample.strip() else csv.excel
        reader = csv.DictReader([sample], dialect=dialect)
        header = reader.fieldnames or []
        missing = [mapping[k] for k in ("timestamp", "user", "host") if mapping[k] not in header]
        if missing:
            raise ValueError(gettext("%(path)s: no column %(missing)s (columns: %(columns)s); "
                                     "give --map timestamp=...,user=...,host=...")
                             % {"path": path, "missing": ", ".join(missing), "columns": ", ".join(header)})
        has_bytes = mapping["bytes"] in header
        width = len(header)
        last = {name: i for i, name in enumerate(header)}  # a repeated name: its last column, as DictReader
        at_ts, at_user, at_host = (last[mapping[k]] for k in ("timestamp", "user", "host"))
        at_bytes = last[mapping["bytes"]] if has_bytes else -1
        # Plain lists, not one dictionary per line (DictReader): the same values, and the line's text is only
        # rebuilt, as DictReader's values, for a line that is reported.
        for number, row in enumerate(csv.reader(fh, dialect=dialect), start=2):
            size = len(row)
            if size <= width and not any(row):
                continue
            result.lines += 1
            try:
                ts = parse_time(row[at_ts] if at_ts < size else "")
                host = authority_of((row[at_host] if at_host < size else "").strip())
                nbytes = int(float((row[at_bytes] if at_bytes < size else "") or 0)) if has_bytes else 0
            except (TypeError, ValueError, AttributeError):
                values = row[:width] + ([str(row[width:])] if size > width else [])
                result.bad_line(number, gettext_noop("unreadable time, host or bytes"), dialect.delimiter.join(values))
                continue
            if not host:
                result.ignore(gettext_noop("no host name"))
                continue
            agg.add(ts, row[at_user] if at_user < size else "", host, nbytes)
    result.rows = agg.rows()
    return result
