"""``Server-Timing`` on every response: the time the server spent on it and the SQL it sent.

Browsers show the header in their developer tools and the page benchmark (``benchmarks/bench_pages.py``)
reads it, so a slow page tells at once whether its time goes to the database or to Python (views,
templates): ``Server-Timing: app;dur=41.2, db;dur=6.3;desc="9 queries"``. It counts the queries of
every connection alias and costs a few microseconds per query; it shows durations only, never SQL. A
streamed response (an export) is timed up to its first byte.
Put it first in ``MIDDLEWARE`` so that ``app`` covers every other middleware too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse


class _QueryClock:
    """An ``execute_wrapper`` adding up the count and duration of the queries of one request."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1



class ServerTimingMiddleware:
    """Time the request and its queries; add them as a ``Server-Timing`` header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        clock = _QueryClock()
        started = time.perf_counter()
        # A connection is per thread: wrapping each alias of this thread sees only this request's queries.
        wrappers = [connections[alias].execute_wrapper(clock) for alias in connections]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)  # rendered by now (template responses too)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        total_ms = (time.perf_counter() - started) * 1000
        response.headers["Server-Timing"] = (
            f'app;dur={total_ms:.1f}, db;dur={clock.seconds * 1000:.1f};desc="{clock.count} queries"')
        return response
