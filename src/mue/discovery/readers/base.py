"""What every reader returns, and the helpers they share (opening gzip, authorities, progress)."""

from __future__ import annotations

import gzip
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


def gettext_noop(message: str) -> str:
    """Mark a reason for the message catalogue (``makemessages`` collects this name); it is translated where shown.

    Django's own ``gettext_noop`` would need the settings: the readers do not.
    """
    return message


MAX_SAMPLES = 10
SAMPLE_CHARS = 300

Progress = Callable[[int], None]  # called with the number of (compressed) bytes read since the last call


Row = tuple[int, str, str, int, int, float, float]
_COLUMNS = ("day", "user", "authority", "requests", "nbytes", "first", "last")


@dataclass
class Totals:
    """Totals per (day, user, authority) as columns: the distinct users and authorities once each, then per total
    its day, the indexes of its user and authority in those lists, and its sums (numpy arrays of one length).

    What the engine folds without a loop per total: it classifies each distinct authority and pseudonymises each
    distinct user once, then groups the arrays (:func:`mue.discovery.engine.discover`).
    """

    users: list[str]
    authorities: list[str]
    day: np.ndarray  # int32, days since 1970-01-01
    user: np.ndarray  # index into ``users``
    authority: np.ndarray  # index into ``authorities``
    requests: np.ndarray  # int64
    nbytes: np.ndarray  # int64
    first: np.ndarray  # float64, Unix time
    last: np.ndarray

    @classmethod
    def from_rows(cls, rows: list[Row]) -> Totals:
        users: dict[str, int] = {}
        authorities: dict[str, int] = {}
        n = len(rows)
        user_ids, authority_ids = np.empty(n, np.int64), np.empty(n, np.int64)
        for i, row in enumerate(rows):
            user_ids[i] = users.setdefault(row[1], len(users))
            authority_ids[i] = authorities.setdefault(row[2], len(authorities))
        days, requests, nbytes, first, last = ((np.fromiter((r[k] for r in rows), dtype, n))
                                               for k, dtype in ((0, np.int64), (3, np.int64), (4, np.int64),
                                                                (5, np.float64), (6, np.float64)))
        return cls(list(users), list(authorities), days, user_ids, authority_ids, requests, nbytes, first, last)

    @classmethod
    def from_buffers(cls, users: list[str], authorities: list[str], *buffers: bytes) -> Totals:
        """From the C scanner's ``columns()``: the lists, then the columns' bytes."""
        kinds = (np.int32, np.uint32, np.uint32, np.int64, np.int64, np.float64, np.float64)
        arrays = [np.frombuffer(b, dtype) for b, dtype in zip(buffers, kinds, strict=True)]
        return cls(users, authorities, *arrays)

    @classmethod
    def from_duckdb(cls, con, query: str) -> Totals:
        """From a DuckDB query whose columns are day, user, authority, requests, bytes, first, last (no NULL user or
        authority): the users and authorities numbered in DuckDB, the columns fetched as arrays, no row in Python."""
        names = [f'"{d[0]}"' for d in con.execute(f"SELECT * FROM ({query}) LIMIT 0").description]
        day, who, auth, n, nb, first, last = names
        con.execute(f"CREATE OR REPLACE TEMP TABLE mue_totals AS SELECT {day}::INTEGER AS day, "
                    f"coalesce({who}, '') AS who, coalesce({auth}, '') AS auth, {n}::BIGINT AS n, "
                    f"{nb}::BIGINT AS nb, {first}::DOUBLE AS first, {last}::DOUBLE AS last FROM ({query})")
        for table, column in (("mue_users", "who"), ("mue_authorities", "auth")):
            con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT v, "
                        f"(row_number() OVER (ORDER BY v) - 1)::UINTEGER AS i "
                        f"FROM (SELECT DISTINCT {column} AS v FROM mue_totals)")
        users = [v for (v,) in con.execute("SELECT v FROM mue_users ORDER BY i").fetchall()]
        authorities = [v for (v,) in con.execute("SELECT v FROM mue_authorities ORDER BY i").fetchall()]
        arrays = con.execute(
            'SELECT t.day AS "day", u.i AS "user", a.i AS "authority", t.n AS "requests", t.nb AS "nbytes", '
            't.first AS "first", t.last AS "last" FROM mue_totals t JOIN mue_users u ON u.v = t.who '
            "JOIN mue_authorities a ON a.v = t.auth").fetchnumpy()
        return cls(users, authorities, **{name: np.asarray(arrays[name]) for name in _COLUMNS})

    @classmethod
    def concat(cls, parts: list[Totals]) -> Totals:
        """The totals of several sets (a scanner per thread) together, users and authorities renumbered into shared
        lists; a (day, user, authority) may then appear more than once: :meth:`grouped` adds them up, the engine's
        fold does not need it. Each part's arrays are released as it is copied."""
        if len(parts) == 1:
            return parts[0]
        users: dict[str, int] = {}
        authorities: dict[str, int] = {}
        columns: dict[str, list[np.ndarray]] = {name: [] for name in _COLUMNS}
        while parts:
            part = parts.pop(0)
            user_map = np.fromiter((users.setdefault(u, len(users)) for u in part.users), np.uint32, len(part.users))
            authority_map = np.fromiter((authorities.setdefault(a, len(authorities)) for a in part.authorities),
                                        np.uint32, len(part.authorities))
            columns["user"].append(user_map[part.user])
            columns["authority"].append(authority_map[part.authority])
            for name in ("day", "requests", "nbytes", "first", "last"):
                columns[name].append(getattr(part, name))
            del part
        return cls(list(users), list(authorities), **{name: np.concatenate(arrays) for name, arrays in columns.items()})

    def grouped(self) -> Totals:
        """The same totals with one per (day, user, authority)."""
        order = np.lexsort((self.authority, self.user, self.day))
        day, user, authority = self.day[order], self.user[order], self.authority[order]
        starts = group_starts(day, user, authority)
        if len(starts) == len(order):
            return self
        return Totals(self.users, self.authorities, day[starts], user[starts], authority[starts],
                      np.add.reduceat(self.requests[order], starts), np.add.reduceat(self.nbytes[order], starts),
                      np.minimum.reduceat(self.first[order], starts), np.maximum.reduceat(self.last[order], starts))

    def rows(self) -> list[Row]:
        users, authorities = self.users, self.authorities
        return [(int(d), users[u], authorities[a], int(n), int(b), float(f), float(la)) for d, u, a, n, b, f, la
                in zip(self.day, self.user, self.authority, self.requests, self.nbytes, self.first, self.last,
                       strict=True)]


def group_starts(*columns: np.ndarray) -> np.ndarray:
    """Where each group of equal values starts in sorted ``columns`` (the first index of each distinct tuple)."""
    change = np.zeros(len(columns[0]), dtype=bool)
    if len(change):
        change[0] = True
    for column in columns:
        change[1:] |= column[1:] != column[:-1]
    return np.flatnonzero(change)


@dataclass
class ReadResult:
    """One file's contribution: totals per (day, user, authority) and what could not be read.

    The totals are either rows (``rows``: day as days since 1970-01-01, raw user, authority as logged, requests,
    bytes, first ts, last ts) or columns (``columns``, the C scanner's); :meth:`totals` gives them as columns, and
    ``rows`` as rows, whichever the reader made.
    """

    path: str
    format: str
    size: int
    lines: int = 0
    malformed: int = 0
    samples: list[dict] = field(default_factory=list)
    columns: Totals | None = None
    # Lines read but skipped on purpose, by reason (an English key marked with gettext_noop): a TLS session without a
    # server name, a DNS reply. With ``malformed`` and the rows' requests they add up to ``lines``.
    ignored: dict[str, int] = field(default_factory=dict)
    _rows: list[Row] | None = field(default=None, repr=False)

    @property
    def rows(self) -> list[Row]:
        if self._rows is None:
            self._rows = self.columns.grouped().rows() if self.columns is not None else []
        return self._rows

    @rows.setter
    def rows(self, rows: list[Row]) -> None:
        self._rows, self.columns = rows, None

    def totals(self) -> Totals:
        if self.columns is None:
            self.columns = Totals.from_rows(self.rows)
        return self.columns

    def ignore(self, reason: str, n: int = 1) -> None:
        self.ignored[reason] = self.ignored.get(reason, 0) + n

    def bad_line(self, number: int | None, reason: str, text: str) -> None:
        """Count a malformed line and keep the first few as samples.

        ``reason`` is an English key marked with ``gettext_noop``: stored as it is, translated when shown.
        """
        self.malformed += 1
        if len(self.samples) < MAX_SAMPLES:
            self.samples.append({"line": number, "reason": reason, "text": text.rstrip("\r\n")[:SAMPLE_CHARS]})


class Aggregator:
    """Sums requests and bytes per (day, user, authority) as lines stream in: memory grows with distinct keys only."""

    def __init__(self) -> None:
        self.totals: dict[tuple[int, str, str], list] = {}

    def add(self, ts: float, user: str, authority: str, nbytes: int = 0) -> None:
        key = (int(ts // 86400), user, authority)
        cell = self.totals.get(key)
        if cell is None:
            self.totals[key] = [1, nbytes, ts, ts]
        else:
            cell[0] += 1
            cell[1] += nbytes
            if ts < cell[2]:
                cell[2] = ts
            elif ts > cell[3]:
                cell[3] = ts

    def rows(self) -> list[tuple[int, str, str, int, int, float, float]]:
        return [(k[0], k[1], k[2], v[0], v[1], v[2], v[3]) for k, v in self.totals.items()]


def is_gzip(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


class _Counting(io.RawIOBase):
    """A raw file that reports how many bytes were read from disk, for the progress bar."""

    def __init__(self, raw: io.BufferedReader, progress: Progress | None) -> None:
        self._raw, self._progress = raw, progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self._raw.readinto(buffer)
        if n and self._progress:
            self._progress(n)
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def counting_raw(path: Path, progress: Progress | None = None) -> io.RawIOBase:
    """The file's bytes, reporting to ``progress`` how many were read from disk."""
    return _Counting(open(path, "rb"), progress)  # noqa: SIM115


def cores() -> int:
    """The cores this process may use (the host may have more)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def open_binary(path: Path, progress: Progress | None = None) -> io.BufferedIOBase:
    """The file's bytes, gunzipped on the fly when it is gzip."""
    raw = io.BufferedReader(counting_raw(path, progress), buffer_size=1 << 20)
    return gzip.GzipFile(fileobj=raw) if is_gzip(path) else raw


def open_text(path: Path, progress: Progress | None = None) -> io.TextIOWrapper:
    """The file as text lines, gunzipped on the fly when it is gzip; undecodable bytes are replaced, not fatal."""
    return io.TextIOWrapper(open_binary(path, progress), encoding="utf-8", errors="replace", newline=None)


def numbered_lines(path: Path, progress: Progress | None = None) -> Iterator[tuple[int, str]]:
    """The file's lines, numbered; a line longer than the input limit is cut (:func:`mue.core.inputs.bounded_lines`)."""
    from mue.core.inputs import bounded_lines

    with open_text(path, progress) as fh:
        yield from enumerate(bounded_lines(fh), start=1)


def authority_of(url: str) -> str:
    """The host[:port] part of a URL, or the value itself when it has no scheme (CONNECT host:443, a DNS name)."""
    start = url.find("://")
    if start >= 0:
        rest = url[start + 3:]
        end = len(rest)
        for sep in "/?#":
            i = rest.find(sep)
            if 0 <= i < end:
                end = i
        return rest[:end]
    return url


def host_of(authority: str) -> str:
    """The lower-case host of an authority: without user info, port, IPv6 brackets or trailing dot."""
    value = authority.strip().lower()
    if "@" in value:
        value = value.rsplit("@", 1)[1]
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value[1:]
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


def sql_literal(value: str) -> str:
    """A string as a SQL literal, for the DuckDB readers' queries (file paths, separators)."""
    return "'" + value.replace("'", "''") + "'"


def duckdb_lines(path: str, gz: bool, rejects: bool = False) -> str:
    """A DuckDB table function reading a text file as one ``line`` column of whole lines (the delimiter is the NUL
    byte, which text logs do not hold): the DuckDB readers split the lines themselves, cheaper than letting the CSV
    scanner make columns. ``rejects``: keep unreadable lines aside (invalid UTF-8, over 1 MiB) instead of failing."""
    return (f"read_csv({sql_literal(path)}, delim='\x00', header=false, quote='', escape='', "
            f"auto_detect=false, columns={{'line': 'VARCHAR'}}, strict_mode=false, max_line_size=1048576, "
            f"{'ignore_errors=true, store_rejects=true, ' if rejects else ''}"
            f"compression='{'gzip' if gz else 'none'}')")


def file_size(path: Path) -> int:
    return os.stat(path).st_size
