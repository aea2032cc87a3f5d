"""Squid native access.log through the C scanner (``mue.discovery._squidscan``), several blocks at once.

The main thread reads the file (gunzipping it when needed) in blocks of whole lines; worker threads scan
them, each with its own scanner, the C code running without the GIL; the scanners' totals are merged at
the end (as arrays, :meth:`Totals.concat`). Memory is bounded by the blocks in flight and the distinct
(day, user, authority) totals, 40 bytes each in C (users and authorities interned).
Lines are parsed as the DuckDB reader parses them (see ``squid.py`` and the C file's header).
"""

from __future__ import annotations

import gzip
import io
import queue
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
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
    from mue.discovery import _squidscan
except ImportError:  # not compiled (no C compiler when installed): the DuckDB reader is used
    _squidscan = None

BLOCK = 8 << 20
MAX_LINE = 1 << 20  # as the C scanner and the DuckDB reader: a longer line is unreadable
SAMPLE_BYTES = 1200
REASONS = {1: gettext_noop("not a Squid native line"), 2: gettext_noop("unreadable line")}


def available() -> bool:
    return _squidscan is not None


@dataclass
class _LongLine:
    """A line longer than MAX_LINE that does not fit in a block: reported, its bytes skipped."""

    head: bytes


@dataclass
class _Block:
    """Whole lines in ``buffer[:length]``; the buffer goes back to the pool once scanned."""

    buffer: bytearray
    length: int


def _open(path: Path, progress: Progress | None) -> BinaryIO:
    raw = counting_raw(path, progress)
    if is_gzip(path):
        return gzip.GzipFile(fileobj=io.BufferedReader(raw, buffer_size=1 << 20))
    return raw


def _fill(stream: BinaryIO, view: memoryview) -> int:
    """Read until ``view`` is full or the file ends; how many bytes were read."""
    done = 0
    while done < len(view):
        n = stream.readinto(view[done:])
        if not n:
            break
        done += n
    return done


def _blocks(stream: BinaryIO, pool: queue.SimpleQueue):
    """Blocks of whole lines (the last one may lack its newline), and over-long lines as :class:`_LongLine`.

    Buffers come from ``pool`` and are reused (fresh memory for each block would cost a page fault every
    4 KiB); taking one waits until a scanned block gives one back, which bounds the memory in flight.
    """
    tail = b""  # the start of a line that continues in the next block
    skipping = False  # inside an over-long line already reported
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


def read_squid_scanned(path: Path, progress: Progress | None = None, threads: int | None = None) -> ReadResult:
    """Aggregate a Squid native access.log (plain or gzip) with the C scanner."""
    if _squidscan is None:
        raise RuntimeError("the C scanner of Squid logs is not built")
    workers = max(1, threads or cores())
    scanners = [_squidscan.Scanner() for _ in range(workers)]
    free: queue.SimpleQueue = queue.SimpleQueue()
    for scanner in scanners:
        free.put(scanner)
    buffers: queue.SimpleQueue = queue.SimpleQueue()
    for _ in range(2 * workers + 1):  # one being read, two per worker (one scanned, one waiting)
        buffers.put(bytearray(BLOCK + MAX_LINE + 1))
    outcomes: dict[int, tuple] = {}

    def scan(seq: int, block: _Block | _LongLine) -> None:
        if isinstance(block, _LongLine):
            outcomes[seq] = (1, 1, 1, [(1, 2, block.head)])
            return
        scanner = free.get()
        try:
            with memoryview(block.buffer) as view:
                outcomes[seq] = scanner.scan(view[:block.length])
        finally:
            free.put(scanner)
            buffers.put(block.buffer)

    with ThreadPoolExecutor(workers, thread_name_prefix="mue-squid") as pool, _open(path, progress) as stream:
        pending: deque = deque()
        for seq, block in enumerate(_blocks(stream, buffers)):
            pending.append(pool.submit(scan, seq, block))
            while pending and pending[0].done():
                pending.popleft().result()  # a failure surfaces here
        for future in pending:
            future.result()
    for q in (free, buffers):  # the queues hold the scanners and the blocks' buffers: let them go
        while not q.empty():
            q.get()
    parts = []
    while scanners:  # each scanner's table freed once its columns are out: the peak is one table, not a merged one
        parts.append(Totals.from_buffers(*scanners.pop().columns()))
    result = ReadResult(path=str(path), format="squid", size=file_size(path), columns=Totals.concat(parts))
    base = 0
    for seq in sorted(outcomes):
        physical, lines, malformed, samples = outcomes[seq]
        result.lines += lines
        result.malformed += malformed
        for line, reason, raw in samples:
            if len(result.samples) < MAX_SAMPLES:
                text = raw.decode("utf-8", "replace").rstrip("\r\n")[:SAMPLE_CHARS]
                result.samples.append({"line": base + line, "reason": REASONS[reason], "text": text})
        base += physical
    return result
