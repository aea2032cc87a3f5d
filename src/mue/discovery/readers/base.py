"""What every reader returns, and the helpers they share (opening gzip, authorities, progress)."""

from __future__ import annotations

import gzip
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path


def gettext_noop(message: str) -> str:
    """Mark a reason for the message catalogue (``makemessages`` collects this name); it is translated where shown.

    Django's own ``gettext_noop`` would need the settings: the readers do not.
    """
    return message


MAX_SAMPLES = 10
SAMPLE_CHARS = 300

Progress = Callable[[int], None]  # called with the number of (compressed) bytes read since the last call


@dataclass
class ReadResult:
    """One file's contribution: totals per (day, user, authority) and what could not be read."""

    path: str
    format: str
    size: int
    lines: int = 0
    malformed: int = 0
    samples: list[dict] = field(default_factory=list)
    # (day as days since 1970-01-01, raw user, authority as logged, requests, bytes, first ts, last ts)
    rows: list[tuple[int, str, str, int, int, float, float]] = field(default_factory=list)
    # Lines read but skipped on purpose, by reason (an English key marked with gettext_noop): a TLS session without a
    # server name, a DNS reply. With ``malformed`` and the rows' requests they add up to ``lines``.
    ignored: dict[str, int] = field(default_factory=dict)

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


def open_text(path: Path, progress: Progress | None = None) -> io.TextIOWrapper:
    """The file as text lines, gunzipped on the fly when it is gzip; undecodable bytes are replaced, not fatal."""
    raw = io.BufferedReader(counting_raw(path, progress), buffer_size=1 << 20)
    stream = gzip.GzipFile(fileobj=raw) if is_gzip(path) else raw
    return io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline=None)


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
