"""Log files through the C scanner (``mue.discovery._logscan``), several blocks at once.

The main thread reads the file (gunzipping it when needed) in blocks of whole lines; worker threads scan
them, each with its own scanner, the C code running without the GIL; the scanners' totals are merged at
the end (as arrays, :meth:`Totals.concat`). Memory is bounded by the blocks in flight and the distinct
(day, user, authority) totals, 40 bytes each in C (users and authorities interned).

Squid lines are parsed as the DuckDB reader parses them (see ``squid.py`` and the C file's header). For dnsmasq
and CSV the Python readers define what a line means: the scanner decides the lines it can decide as they would
and hands the others back (``deferred``), which the reader reads itself, in file order as the blocks finish.
"""

from __future__ import annotations

import gzip
import io
import queue
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from mue.discovery.readers.base import (
    MAX_SAMPLES,
    SAMPLE_CHARS,
    Progress,
    ReadResult,
    Totals,
    cores,
    counting_raw,
    file_size,
    gettext_noop,
    is_gzip,
)

try:
    from mue.discovery import _logscan
except ImportError:  # not compiled (no C compiler when installed): the DuckDB reader is used
    _logscan = None

Scanner = getattr(_logscan, "Scanner", None)  # Scanner(format="squid", ...): see the C file's header

BLOCK = 8 << 20
MAX_LINE = 1 << 20  # as the C scanner and the DuckDB reader: a longer line is unreadable
SAMPLE_BYTES = 1200
REASONS = {1: gettext_noop("not a Squid native line"), 2: gettext_noop("unreadable line")}


def available() -> bool:
    """Whether the C scanner was built (it is optional: without a C compiler, the other readers are used)."""
    return _logscan is not None


@dataclass
class _LongLine:
    """A line longer than MAX_LINE that does not fit in a block: reported, its bytes skipped."""

    head: bytes


@dataclass
class _Block:
    """Whole lines in ``buffer[:length]``; the buffer goes back to the pool once scanned."""

    buffer: bytearray
    length: int


def _open(path: Path, progress: Progress | None, buffered: bool = False) -> BinaryIO:
    """The file's bytes; ``buffered`` to read lines from it too (large reads still go straight to their buffer)."""
    raw = counting_raw(path, progress)
    if is_gzip(path):
        return gzip.GzipFile(fileobj=io.BufferedReader(raw, buffer_size=1 << 20))
    return io.BufferedReader(raw, buffer_size=1 << 16) if buffered else raw


def _fill(stream: BinaryIO, view: memoryview) -> int:
    """Read until ``view`` is full or the file ends; how many bytes were read."""
    done = 0
    while done < len(view):
        n = stream.readinto(view[done:])
        if not n:
            break
        done += n
    return done


def _blocks(stream: BinaryIO, pool: queue.SimpleQueue, skip_lines: int = 0):
    """Blocks of whole lines (the last one may lack its newline), and over-long lines as :class:`_LongLine`;
    without the file's first ``skip_lines`` lines.

    Buffers come from ``pool`` and are reused (fresh memory for each block would cost a page fault every
    4 KiB); taking one waits until a scanned block gives one back, which bounds the memory in flight.
    """
    tail = b""  # the start of a line that continues in the next block
    skipping = False  # inside an over-long line already reported
    for _ in range(skip_lines):  # header lines: whole, however long
        while True:
            piece = stream.readline(1 << 16)
            if not piece or piece.endswith(b"\n"):
                break
    while True:
        buffer = pool.get()
        view = memoryview(buffer)
        view[:len(tail)] = tail
        end = len(tail) + _fill(stream, view[len(tail):len(tail) + BLOCK])
        start = 0
        if skipping and end:
            newline = buffer.find(b"\n", 0, end)
            start, skipping = (end, True) if newline < 0 else (newline + 1, False)
        if end == len(tail):  # the file ended
            view.release()
            if tail:
                yield _Block(buffer, len(tail))
            else:
                pool.put(buffer)
            return
        cut = buffer.rfind(b"\n", start, end)
        if cut < 0:
            if not skipping:
                tail = bytes(view[start:end])
            view.release()
            pool.put(buffer)
        else:
            tail = bytes(view[cut + 1:end])
            if start:  # the end of an over-long line: drop it
                view[:cut + 1 - start] = view[start:cut + 1]
            view.release()
            yield _Block(buffer, cut + 1 - start)
        if len(tail) > MAX_LINE:  # a line too long to keep: report it, skip the rest of it
            yield _LongLine(tail[:SAMPLE_BYTES])
            tail, skipping = b"", True


@dataclass
class Scanned:
    """What the scanners made of a file: the totals, the counts, the first malformed lines (file line numbers)."""

    totals: Totals
    lines: int = 0
    malformed: int = 0
    ignored: int = 0
    samples: list[tuple[int, int, bytes]] = field(default_factory=list)  # (line, reason, raw bytes)


# Reads a line handed back (its file line number, its raw bytes); returns how many lines the text reader sees in it
# (a lone carriage return ends a line there: the lines after it are numbered on from there).
Deferred = Callable[[int, bytes], int]


def scan_file(path: Path, make_scanner: Callable[[], object], progress: Progress | None = None,
              threads: int | None = None, deferred: Deferred | None = None,
              skip_lines: int = 0) -> Scanned | None:
    """Scan a file (plain or gzip) with one scanner per thread; None when a scanner asks for the Python reader.

    ``deferred`` is called, in file order, with each line a scanner handed back. ``skip_lines``: the header lines
    (the reader has read them); line numbers still count them.
    """
    if _logscan is None:
        raise RuntimeError("the C log scanner is not built")
    workers = max(1, threads or cores())
    scanners = [make_scanner() for _ in range(workers)]
    free: queue.SimpleQueue = queue.SimpleQueue()
    for scanner in scanners:
        free.put(scanner)
    buffers: queue.SimpleQueue = queue.SimpleQueue()
    for _ in range(2 * workers + 1):  # one being read, two per worker (one scanned, one waiting)
        buffers.put(bytearray(BLOCK + MAX_LINE + 1))
    scanned = Scanned(Totals.from_rows([]))
    base = skip_lines  # physical lines before the block being accounted
    fallback = False

    def scan(block: _Block | _LongLine) -> tuple:
        if isinstance(block, _LongLine):
            return 1, 1, 1, [(1, 2, block.head)], 0, [], False
        scanner = free.get()
        try:
            with memoryview(block.buffer) as view:
                return scanner.scan(view[:block.length])
        finally:
            free.put(scanner)
            buffers.put(block.buffer)

    def account(outcome: tuple) -> None:
        nonlocal base, fallback
        physical, lines, malformed, samples, ignored, handed_back, asks_python = outcome
        fallback = fallback or asks_python
        scanned.lines += lines
        scanned.malformed += malformed
        scanned.ignored += ignored
        shift = 0  # lines that handed-back lines added before this point of the block
        events = sorted([(line, 0, reason, raw) for line, reason, raw in samples]
                        + [(line, 1, 0, raw) for line, raw in handed_back])
        for line, handed, reason, raw in events:
            if not handed:
                scanned.samples.append((base + shift + line, reason, raw))
            elif deferred is not None:
                shift += deferred(base + shift + line, raw) - 1
        base += physical + shift

    with (ThreadPoolExecutor(workers, thread_name_prefix="mue-scan") as pool,
          _open(path, progress, buffered=skip_lines > 0) as stream):
        pending: deque = deque()
        for block in _blocks(stream, buffers, skip_lines):
            pending.append(pool.submit(scan, block))
            while pending and pending[0].done():
                account(pending.popleft().result())  # a failure surfaces here
            if fallback:
                break
        for future in pending:
            account(future.result())
    for q in (free, buffers):  # the queues hold the scanners and the blocks' buffers: let them go
        while not q.empty():
            q.get()
    if fallback:
        return None
    parts = []
    while scanners:  # each scanner's table freed once its columns are out: the peak is one table, not a merged one
        parts.append(Totals.from_buffers(*scanners.pop().columns()))
    scanned.totals = Totals.concat(parts)
    scanned.samples = sorted(scanned.samples)[:MAX_SAMPLES]
    return scanned


def text_lines(raw: bytes) -> list[str]:
    """A handed-back line as the text reader sees it: decoded (undecodable bytes replaced), and split where a lone
    carriage return ends a line (universal newlines), without line ends."""
    return raw.decode("utf-8", "replace").replace("\r", "\n").split("\n")


def merge_into(result: ReadResult, scanned: Scanned, reasons: dict[int, str], extra: ReadResult | None = None) -> None:
    """Fill ``result`` from the scanners' work and, when lines were handed back, what the Python reader made of
    them (``extra``, with its rows): counts added, samples the first of both in line order."""
    result.lines += scanned.lines
    result.malformed += scanned.malformed
    samples = [{"line": line, "reason": reasons[reason],
                "text": raw.decode("utf-8", "replace").rstrip("\r\n")[:SAMPLE_CHARS]}
               for line, reason, raw in scanned.samples]
    parts = [scanned.totals]
    if extra is not None:
        result.lines += extra.lines
        result.malformed += extra.malformed
        for reason, n in extra.ignored.items():
            result.ignore(reason, n)
        samples += extra.samples
        if extra.rows:
            parts.append(Totals.from_rows(extra.rows))
    result.samples = sorted(samples, key=lambda s: s["line"])[:MAX_SAMPLES]
    result.columns = Totals.concat(parts)


def read_squid_scanned(path: Path, progress: Progress | None = None, threads: int | None = None) -> ReadResult:
    """Aggregate a Squid native access.log (plain or gzip) with the C scanner."""
    scanned = scan_file(path, Scanner, progress, threads)
    result = ReadResult(path=str(path), format="squid", size=file_size(path))
    merge_into(result, scanned, REASONS)
    return result
