"""The API's request counts, shared by every process of the instance on this machine.

Django's default cache lives in each process: behind gunicorn with four workers, a limit of 1,200
requests a minute would let 4,800 through. The counts live instead in a small SQLite file of the data
directory (``var/api-rate.sqlite3``), apart from the register's database so that counting never waits
on a write to the register: one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` per request adds one to
the caller's count for the current window and reads it back, atomically across processes.

Windows are fixed (a minute starting on the minute for ``"600/m"``): a caller may reach twice the rate
across a window's edge, the usual price of a counter that costs one statement.
"""

from __future__ import annotations

import math
import sqlite3
import threading
import time
from pathlib import Path

from django.conf import settings

_SCHEMA = """
CREATE TABLE IF NOT EXISTS hits (
    caller TEXT NOT NULL, window INTEGER NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (caller, window)
) WITHOUT ROWID
"""
_HIT = ("INSERT INTO hits (caller, window, count) VALUES (?, ?, 1) "
        "ON CONFLICT (caller, window) DO UPDATE SET count = count + 1 RETURNING count")
PRUNE_EVERY = 1000  # hits of this process between two clean-ups of past windows


class SharedCounter:
    """Counts per caller and window in one SQLite file; one connection per thread."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path else Path(settings.VAR_DIR) / "api-rate.sqlite3"
        self._local = threading.local()
        self._hits = 0

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=5, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")  # counts lost in a power cut matter little
            conn.execute(_SCHEMA)
            self._local.conn = conn
        return conn

    def hit(self, caller: str, duration: int, now: float | None = None) -> tuple[int, float]:
        """Count one request of ``caller``; (its count in the current window, seconds left in it)."""
        now = time.time() if now is None else now
        window = int(now // duration)
        conn = self._connection()
        (count,) = conn.execute(_HIT, (caller, window)).fetchone()
        self._hits += 1
        if self._hits % PRUNE_EVERY == 0:
            conn.execute("DELETE FROM hits WHERE window < ?", (window - 1,))
        return count, (window + 1) * duration - now


_counter: SharedCounter | None = None
_counter_lock = threading.Lock()


def counter() -> SharedCounter:
    """The instance's counter (its file under the data directory of the settings in force)."""
    global _counter
    path = Path(settings.VAR_DIR) / "api-rate.sqlite3"
    with _counter_lock:
        if _counter is None or _counter.path != path:
            _counter = SharedCounter(path)
        return _counter


def retry_after(seconds: float) -> int:
    return max(1, math.ceil(seconds))
