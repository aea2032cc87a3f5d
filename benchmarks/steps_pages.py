"""Steps of the page benchmark (:mod:`benchmarks.bench_pages`): register pages served for real.

``serve_pages`` signs a member in, chooses the pages (lists of the largest type and of applications:
first, middle, last page, filters, a search; the detail page of the most-linked application), serves
the app with gunicorn on a free loopback port and drives each page with concurrent clients; the
baseline is the page's main SQL statement (the ``SELECT … ORDER BY … LIMIT 51`` of a list, the
object's ``SELECT`` for a detail), captured from the page itself and run again by as many threads,
each through its own connection. ``page_queries`` only counts each page's queries (to compare sizes);
``profile_page`` profiles one request, to find where a slow page spends its time.
"""

from __future__ import annotations

import cProfile
import http.client
import io
import math
import os
import pstats
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
TIMING_MIDDLEWARE = "mue.web.timing.ServerTimingMiddleware"
USERNAME = "bench-pages"
LIST_PAGE_SIZE = 50


def with_timing() -> None:
    """Put the Server-Timing middleware first in MIDDLEWARE if the settings do not have it yet."""
    from django.conf import settings

    if TIMING_MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [TIMING_MIDDLEWARE, *settings.MIDDLEWARE]


def wsgi_app():
    """gunicorn's application factory (``benchmarks.steps_pages:wsgi_app()``): Mue's WSGI app with timing."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mue.settings")
    import django

    django.setup(set_prefix=False)
    with_timing()
    from django.core.handlers.wsgi import WSGIHandler

    from mue.web.worker import freeze_what_is_loaded

    handler = WSGIHandler()
    freeze_what_is_loaded()  # as mue.wsgi does for a production worker
    return handler


# -- the member and the pages -------------------------------------------------------------------------


def signed_in_member(workspace: str) -> str:
    """A user owning the workspace and a saved session of theirs: the ``sessionid`` cookie value."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.backends import ModelBackend
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.module_loading import import_string

    from mue.core.models import Membership, Workspace

    ws = Workspace.objects.get(slug=workspace)
    user, _ = get_user_model().objects.get_or_create(username=USERNAME, defaults={"email": "bench@example.org"})
    Membership.objects.get_or_create(workspace=ws, user=user, defaults={"role": "owner"})
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = next(  # the project's model backend (axes' one keeps no users)
        path for path in settings.AUTHENTICATION_BACKENDS if issubclass(import_string(path), ModelBackend))
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return session.session_key


@dataclass
class PageSpec:
    """One page to measure: a key the same at every size, its label, its path, the table and LIMIT of its
    main query, the rows of its type."""

    key: str
    label: str
    path: str
    table: str
    limit: int
    rows: int
    extra: dict[str, Any] = field(default_factory=dict)


def _middle_cursor(queryset, path: str) -> str:
    """The cursor of the row at the middle of the list's order (name, then id): ``?after=`` it is page n/2."""
    from django.db.models import F

    from mue.web import keyset

    ordered = queryset.order_by(F(path).asc(nulls_last=True), "pk")
    row = ordered[queryset.count() // 2]
    return keyset.encode(keyset.value_at(row, path), row.pk)


def _search_text(queryset) -> str:
    """The name of the row in the middle of the id order, as a user looking for it types it: few rows
    match every word, so the search reads the whole table (``icontains`` uses no index)."""
    middle = queryset.count() // 2
    names = list(queryset.order_by("pk").values_list("name", flat=True)[middle:middle + 1])
    return names[0] if names else "data"


def _most_linked(ws, otype) -> Any:
    """The object of ``otype`` that most other objects reference (flows from and to it, dependents...)."""
    from django.db.models import Count

    from mue.web.spec import incoming

    counts: Counter = Counter()
    for relation in incoming(otype.singular):
        rows = (relation.otype.model.objects.filter(workspace=ws, **{f"{relation.lookup}__isnull": False})
                .values(relation.lookup).annotate(n=Count("pk")).values_list(relation.lookup, "n"))
        for pk, n in rows:
            counts[pk] += n
    for mf in otype.m2m_fields:
        through = getattr(otype.model, mf.attname).through
        source = getattr(otype.model, mf.attname).field.m2m_field_name()
        for pk, n in (through.objects.filter(**{f"{source}__workspace": ws}).values(f"{source}_id")
                      .annotate(n=Count("pk")).values_list(f"{source}_id", "n")):
            counts[pk] += n
    pk, n = counts.most_common(1)[0]
    return otype.model.objects.get(pk=pk), n


def choose_pages(workspace: str) -> list[PageSpec]:
    """The measured pages: what a user of a large register opens most (see the module docstring)."""
    from django.db.models import Count

    from mue.core.models import Workspace
    from mue.core.registry import registry
    from mue.web.spec import object_url, spec_for, type_segment

    ws = Workspace.objects.get(slug=workspace)
    out: list[PageSpec] = []
    for key, filters in (("flows", ["protocol=https"]), ("applications", ["status=approved", "vendor"])):
        otype = registry[key]
        base = f"/w/{ws.slug}/{type_segment(otype)}/"
        table = otype.model._meta.db_table
        rows = otype.model.objects.filter(workspace=ws)
        total = rows.count()
        name_path = spec_for(key).column("name").sort

        def page(name: str, label: str, query: str, base=base, table=table, total=total, key=key) -> PageSpec:
            return PageSpec(f"{key}:{name}", f"{key} {label}", base + (f"?{query}" if query else ""), table,
                            LIST_PAGE_SIZE + 1, total)

        out.append(page("first", "first page", ""))
        out.append(page("middle", "middle page", f"after={_middle_cursor(rows, name_path)}"))
        out.append(page("last", "last page", "page=last"))
        for flt in filters:
            if flt == "vendor":  # a reference filter, by the slug of the vendor of the most applications
                top = (rows.exclude(vendor=None).values("vendor__slug").annotate(n=Count("pk"))
                       .order_by("-n", "vendor__slug").values_list("vendor__slug", flat=True).first())
                flt = f"vendor={top}"
            out.append(page(f"filter-{flt.split('=')[0]}", f"filtered ?{flt}", flt))
        text = _search_text(rows)
        out.append(page("search", f"search ?q={text}", urlencode({"q": text})))
    apps = registry["applications"]
    app, links = _most_linked(ws, apps)
    out.append(PageSpec("applications:detail", f"detail of the most-linked application ({links:,} links)",
                        object_url(ws.slug, apps, app.slug), apps.model._meta.db_table, 1,
                        apps.model.objects.filter(workspace=ws).count()))
    return out


# -- one page in process: its queries, its main statement ---------------------------------------------


class _Recorder:
    def __init__(self) -> None:
        self.queries: list[tuple[str, Any]] = []

    def __call__(self, execute, sql, params, many, context):
        self.queries.append((sql, params))
        return execute(sql, params, many, context)


def _client(session_key: str):
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)  # a broken page is a finding
    client.cookies["sessionid"] = session_key
    return client


def record(client, path: str) -> tuple[int, list[tuple[str, Any]]]:
    """The status of one request of the page and every SQL statement (with its parameters) it sent."""
    from django.db import connection

    recorder = _Recorder()
    with connection.execute_wrapper(recorder):
        response = client.get(path)
    return response.status_code, recorder.queries


def main_statement(page: PageSpec, queries: list[tuple[str, Any]]) -> tuple[str, Any]:
    """The page's own SELECT of its rows: on its table, with its LIMIT (not a COUNT, not a prefetch)."""
    table = re.compile(rf'FROM "{re.escape(page.table)}"')
    limit = re.compile(rf"LIMIT {page.limit}\b")
    for sql, params in queries:
        if table.search(sql) and limit.search(sql) and "COUNT(" not in sql.upper():
            return sql, params
    raise RuntimeError(f"no main query found for {page.path}")


def page_queries(workspace: str) -> dict[str, Any]:
    """Each measured page's query count, from the test client in this process (no server)."""
    with_timing()
    client = _client(signed_in_member(workspace))
    out = {}
    for page in choose_pages(workspace):
        record(client, page.path)  # warm: the first request of a process loads more (content types...)
        status, queries = record(client, page.path)
        out[page.key] = {"status": status, "queries": len(queries), "path": page.path}
    return out


# -- serving and measuring ----------------------------------------------------------------------------


def server_shape() -> tuple[int, int]:
    """Workers and threads of the measured server: docs/deployment.md's, one worker per core and one
    thread each (``BENCH_PAGES_WORKERS`` / ``BENCH_PAGES_THREADS`` to try another shape)."""
    workers = int(os.environ.get("BENCH_PAGES_WORKERS") or os.cpu_count() or 2)
    return workers, int(os.environ.get("BENCH_PAGES_THREADS") or 1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(workers: int, threads: int) -> tuple[subprocess.Popen, int, Path]:
    """gunicorn on a free loopback port, this process's environment (DATABASE_URL, MUE_DEBUG=0)."""
    port = _free_port()
    log = Path(tempfile.mkstemp(prefix="bench-pages-gunicorn-", suffix=".log")[1])
    env = dict(os.environ)
    env.pop("MUE_DEBUG", None)  # unset: DEBUG off as in production (the harness sets 0 anyway)
    env["MUE_DEBUG"] = "0"
    command = [sys.executable, "-m", "gunicorn", "benchmarks.steps_pages:wsgi_app()",
               "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
               "--worker-class", "gthread", "--timeout", "120", "--log-level", "warning",
               "--error-logfile", str(log)]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({proc.returncode}): {log.read_text()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/accounts/login/")
            conn.getresponse().read()
            conn.close()
            return proc, port, log
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()  # gunicorn's arbiter stops its workers on SIGTERM
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


_TIMING = re.compile(r"app;dur=([\d.]+).*?db;dur=([\d.]+);desc=\"(\d+) queries\"")


@dataclass
class Sample:
    client_ms: float
    app_ms: float | None
    db_ms: float | None
    queries: int | None
    status: int


def drive(port: int, path: str, cookie: str, clients: int, requests: int, seconds: float) -> tuple[list[Sample], float]:
    """``requests`` GETs of ``path`` by ``clients`` threads (keep-alive), stopped after ``seconds``."""
    lock = threading.Lock()
    left = [requests]
    samples: list[Sample] = []
    deadline = time.monotonic() + seconds

    def one_client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"}
        while time.monotonic() < deadline:
            with lock:
                if left[0] <= 0:
                    break
                left[0] -= 1
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            elapsed = (time.perf_counter() - started) * 1000
            timing = _TIMING.search(response.getheader("Server-Timing") or "")
            sample = Sample(elapsed, *(float(timing[1]), float(timing[2]), int(timing[3])) if timing else (None,) * 3,
                            status=response.status)
            with lock:
                samples.append(sample)
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=one_client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return samples, time.perf_counter() - started


def sql_baseline(sql: str, params: Any, clients: int, requests: int, seconds: float) -> list[float]:
    """The page's main statement run ``requests`` times by ``clients`` threads, one connection each."""
    from django.db import connection

    lock = threading.Lock()
    left = [requests]
    times: list[float] = []
    deadline = time.monotonic() + seconds

    def one_client() -> None:
        try:
            with connection.cursor() as cursor:  # a connection of this thread's own
                while time.monotonic() < deadline:
                    with lock:
                        if left[0] <= 0:
                            break
                        left[0] -= 1
                    started = time.perf_counter()
                    cursor.execute(sql, params)
                    cursor.fetchall()
                    elapsed = (time.perf_counter() - started) * 1000
                    with lock:
                        times.append(elapsed)
        finally:
            connection.close()

    threads = [threading.Thread(target=one_client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else 0.0


def _stats(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values) if values else 0.0, "p95": percentile(values, 0.95)}


def serve_pages(workspace: str, clients: int = 20, requests: int = 200, seconds: float = 30.0,
                workers: int = 2, threads: int = 4, alone: int = 5) -> dict[str, Any]:
    """Every measured page served by gunicorn, ``requests`` times by ``clients`` concurrent clients."""
    with_timing()
    cookie = signed_in_member(workspace)
    client = _client(cookie)
    pages = choose_pages(workspace)
    statements, broken = {}, {}
    for page in pages:
        record(client, page.path)
        status, queries = record(client, page.path)
        if status != 200:
            broken[page.label] = {"key": page.key, "path": page.path, "error": f"answered {status}"}
            continue
        statements[page.label] = (main_statement(page, queries), len(queries))
    pages = [p for p in pages if p.label in statements]
    from django.db import connection

    connection.close()  # the server's workers open their own
    proc, port, log = start_server(workers, threads)
    out: dict[str, Any] = {"load_before": os.getloadavg()[0], "clients": clients, "pages": {}, "broken": broken,
                           "server": f"gunicorn {workers} workers × {threads} threads (gthread)"}
    try:
        for page in pages:
            drive(port, page.path, cookie, clients, workers * threads, seconds / 2)  # warm the worker threads
            lonely, _ = drive(port, page.path, cookie, 1, alone, seconds / 2)  # one client: no contention
            samples, wall = drive(port, page.path, cookie, clients, requests, seconds)
            bad = [s.status for s in samples if s.status != 200]
            if bad:
                raise RuntimeError(f"{page.path}: {len(bad)} answers not 200 ({bad[:3]})")
            (sql, params), count = statements[page.label]
            baseline = sql_baseline(sql, params, clients, requests, seconds / 2)
            out["pages"][page.label] = {
                "key": page.key, "path": page.path, "rows": page.rows, "requests": len(samples), "wall_s": wall,
                "client": _stats([s.client_ms for s in samples]),
                "server": _stats([s.app_ms for s in samples if s.app_ms is not None]),
                "db": _stats([s.db_ms for s in samples if s.db_ms is not None]),
                "alone_ms": statistics.median([s.app_ms for s in lonely if s.app_ms is not None] or [0]),
                "queries": sorted({s.queries for s in samples if s.queries is not None}),
                "queries_in_process": count, "sql": _stats(baseline), "sql_requests": len(baseline),
            }
    finally:
        out["load_after"] = os.getloadavg()[0]  # other work on the machine inflates every figure
        stop_server(proc)
        errors = log.read_text()
        log.unlink(missing_ok=True)
    if "Traceback" in errors:
        out["server_errors"] = errors[-2000:]
    return out


# -- diagnosis ----------------------------------------------------------------------------------------


def profile_page(workspace: str, path: str | None = None, label: str | None = None, lines: int = 30) -> dict[str, Any]:
    """cProfile of one request of a page (after a warm request), by the test client in this process.

    ``python -m benchmarks.worker benchmarks.steps_pages:profile_page '{"workspace": "...", "label": "flows"}'``
    with ``DATABASE_URL`` of a loaded benchmark database; ``label`` picks the first measured page whose
    label starts with it.
    """
    with_timing()
    client = _client(signed_in_member(workspace))
    if path is None:
        path = next(p.path for p in choose_pages(workspace) if p.label.startswith(label or ""))
    record(client, path)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    status, queries = record(client, path)
    profiler.disable()
    seconds = time.perf_counter() - started
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(lines)
    stats.sort_stats("tottime").print_stats(lines)
    return {"path": path, "status": status, "ms": seconds * 1000, "queries": len(queries),
            "profile": text.getvalue()}
