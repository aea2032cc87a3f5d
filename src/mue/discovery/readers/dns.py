"""The DNS query logs small organizations have: Pi-hole / dnsmasq, AdGuard Home, Unbound and BIND.

DNS logs name the client address, not a person: the user is the client address (pseudonymised like any user).
They carry no byte counts. Each query counts as one request.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from functools import lru_cache
from pathlib import Path

from mue.discovery.readers import scanner
from mue.discovery.readers.base import Aggregator, Progress, ReadResult, file_size, gettext_noop, numbered_lines
from mue.discovery.readers.scanner import text_lines

NOT_A_QUERY = gettext_noop("not a query (reply, forwarded, cached, server message)")
NOT_A_DNSMASQ_LINE = gettext_noop("not a dnsmasq log line")
NOT_AN_UNBOUND_LINE = gettext_noop("not an Unbound log line")
NOT_A_BIND_LINE = gettext_noop("not a BIND query log line")
NOT_AN_ADGUARD_ENTRY = gettext_noop("not an AdGuard Home query log entry")
_MONTHS = {name: i for i, name in enumerate(calendar.month_abbr) if name}

# dnsmasq (Pi-hole's pihole.log): "Mar  4 10:12:01 dnsmasq[1234]: query[A] www.example.com from 192.168.1.10"
_DNSMASQ = re.compile(r"^(\w{3}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) (?:\S+ )?(?:dnsmasq|pihole-FTL)\[\d+\]: "
                      r"(?:\d+ [\d.:a-fA-F]+/\d+ )?(\S+)(?: (\S+) (\S+) (\S+))?")
# Unbound with log-queries: "[1614596400] unbound[1234:0] info: 192.168.1.10 www.example.com. A IN"
# or, with log-time-ascii, "Mar 01 12:00:00 unbound[1234:0] info: ...".
_UNBOUND = re.compile(r"^(?:\[(\d+(?:\.\d+)?)\]|(\w{3}) +(\d{1,2}) (\d\d):(\d\d):(\d\d)) (?:\S+ )?unbound\[[\d:]+\] "
                      r"(\w+): (.*)$")
_UNBOUND_QUERY = re.compile(r"^([\d.:a-fA-F]+) (\S+) (\S+) (\S+)$")
# BIND query log: "01-Mar-2021 12:00:00.123 client @0x7f.. 192.168.1.10#53411 (www.example.com): query: www..."
_BIND = re.compile(r"^(\d\d)-(\w{3})-(\d{4}) (\d\d):(\d\d):(\d\d)(?:\.\d+)? (?:[\w-]+: \w+: )?client "
                   r"(?:@\S+ )?([\d.:a-fA-F]+)#\d+ \([^)]*\): (?:view [^:]+: )?query: (\S+) ")


def _year_of(path: Path) -> int:
    # Syslog-style times have no year: take the file's; a month after the file's month belongs to the year before.
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).year


@lru_cache(maxsize=8192)  # a log's lines share their second: one conversion per distinct time, not per line
def _syslog_ts(month: str, day: str, hh: str, mm: str, ss: str, year: int, file_month: int) -> float:
    m = _MONTHS[month]
    y = year - 1 if m > file_month else year
    return calendar.timegm((y, m, int(day), int(hh), int(mm), int(ss)))


def _file_month(path: Path) -> int:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).month


def read_pihole(path: Path, progress: Progress | None = None, threads: int | None = None,
                engine: str | None = None) -> ReadResult:
    """Pi-hole's pihole.log, i.e. dnsmasq's log-queries output: one ``query[TYPE] name from client`` per query."""
    year, month = _year_of(path), _file_month(path)

    def read_line(result: ReadResult, agg: Aggregator, number: int, line: str) -> None:
        _pihole_line(result, agg, number, line, year, month)

    return _read(path, "pihole", read_line, NOT_A_DNSMASQ_LINE, progress, threads, engine,
                 "dnsmasq", year, month)


def _read(path: Path, fmt: str, read_line, bad_reason: str, progress: Progress | None, threads: int | None,
          engine: str | None, *scanner_args) -> ReadResult:
    """Read a DNS server's log with the C scanner when it is built (``engine``: ``"scanner"`` or ``"python"`` to
    choose): it reads the lines of printable ASCII as ``read_line`` does and hands any other back to it."""
    result = ReadResult(path=str(path), format=fmt, size=file_size(path))
    agg = Aggregator()
    if engine == "scanner" or (engine is None and scanner.available()):
        handed_back = ReadResult(path=str(path), format=fmt, size=0)

        def deferred(number: int, raw: bytes) -> int:
            lines = text_lines(raw)
            for i, line in enumerate(lines):
                read_line(handed_back, agg, number + i, line)
            return len(lines)

        scanned = scanner.scan_file(path, lambda: scanner.Scanner(*scanner_args), progress, threads, deferred)
        handed_back.rows = agg.rows()
        if scanned.ignored:
            result.ignore(NOT_A_QUERY, scanned.ignored)
        scanner.merge_into(result, scanned, {1: bad_reason, 2: bad_reason}, handed_back)
        return result
    for number, line in numbered_lines(path, progress):
        read_line(result, agg, number, line)
    result.rows = agg.rows()
    return result


def _pihole_line(result: ReadResult, agg: Aggregator, number: int, line: str, year: int, month: int) -> None:
    if not line.strip():
        return
    result.lines += 1
    m = _DNSMASQ.match(line)
    if not m or m.group(1) not in _MONTHS:
        result.bad_line(number, NOT_A_DNSMASQ_LINE, line)
        return
    if not m.group(6).startswith("query[") or m.group(8) != "from":
        result.ignore(NOT_A_QUERY)  # forwarded, reply, cached, config...: the query line alone counts the request
        return
    agg.add(_syslog_ts(*m.group(1, 2, 3, 4, 5), year, month), m.group(9), m.group(7))


def read_adguard(path: Path, progress: Progress | None = None, threads: int | None = None,
                 engine: str | None = None) -> ReadResult:
    """AdGuard Home's querylog.json: one JSON object per line, ``T`` time, ``QH`` queried host, ``IP`` client.

    A time without an offset is UTC (AdGuard writes one; the machine's time zone must not change the figures).
    """

    def read_line(result: ReadResult, agg: Aggregator, number: int, line: str) -> None:
        if not line.strip():
            return
        result.lines += 1
        try:
            record = json.loads(line)
            when = dt.datetime.fromisoformat(_trim_nanoseconds(record["T"]))
            host, client = record["QH"], record.get("IP", "")
            if not isinstance(host, str) or not isinstance(client, str):
                raise TypeError(host)
        except (ValueError, KeyError, TypeError, RecursionError):  # RecursionError: deeply nested JSON
            result.bad_line(number, NOT_AN_ADGUARD_ENTRY, line)
            return
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        agg.add(when.timestamp(), client, host)

    return _read(path, "adguard", read_line, NOT_AN_ADGUARD_ENTRY, progress, threads, engine, "adguard")


def _trim_nanoseconds(value: str) -> str:
    # AdGuard writes Go's RFC 3339 with nanoseconds; Python's parser takes at most microseconds.
    return re.sub(r"(\.\d{6})\d+", r"\1", value).replace("Z", "+00:00")


def read_unbound(path: Path, progress: Progress | None = None, threads: int | None = None,
                 engine: str | None = None) -> ReadResult:
    """Unbound's log with ``log-queries: yes`` (epoch or ``log-time-ascii`` times)."""
    year, month = _year_of(path), _file_month(path)

    def read_line(result: ReadResult, agg: Aggregator, number: int, line: str) -> None:
        if not line.strip():
            return
        result.lines += 1
        m = _UNBOUND.match(line.rstrip("\r\n"))
        if not m or (m.group(2) and m.group(2) not in _MONTHS):
            result.bad_line(number, NOT_AN_UNBOUND_LINE, line)
            return
        q = _UNBOUND_QUERY.match(m.group(8)) if m.group(7) == "info" else None
        if not q:
            result.ignore(NOT_A_QUERY)  # other messages (start-up, statistics, replies)
            return
        ts = float(m.group(1)) if m.group(1) else _syslog_ts(*m.group(2, 3, 4, 5, 6), year, month)
        agg.add(ts, q.group(1), q.group(2))

    return _read(path, "unbound", read_line, NOT_AN_UNBOUND_LINE, progress, threads, engine, "unbound", year, month)


def read_bind(path: Path, progress: Progress | None = None, threads: int | None = None,
              engine: str | None = None) -> ReadResult:
    """BIND's query log (``querylog yes``, the ``queries`` category)."""

    def read_line(result: ReadResult, agg: Aggregator, number: int, line: str) -> None:
        if not line.strip():
            return
        result.lines += 1
        m = _BIND.match(line)
        if not m or m.group(2) not in _MONTHS:
            result.bad_line(number, NOT_A_BIND_LINE, line)
            return
        day, mon, year, hh, mm, ss, client, name = m.groups()
        try:
            ts = calendar.timegm((int(year), _MONTHS[mon], int(day), int(hh), int(mm), int(ss)))
        except ValueError:  # year 0000: not a date
            result.bad_line(number, NOT_A_BIND_LINE, line)
            return
        agg.add(ts, client, name)

    return _read(path, "bind", read_line, NOT_A_BIND_LINE, progress, threads, engine, "bind")
