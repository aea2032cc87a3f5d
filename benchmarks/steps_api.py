"""Steps of the API benchmark (run in child processes by :mod:`benchmarks.bench_api`).

The list endpoint of every type, first and last page of 100 objects, served by gunicorn and loaded by 20
client threads of this (second) process over loopback, as the page benchmark does
(:mod:`benchmarks.steps_pages`, whose server, load driver and SQL baseline are reused); the baseline is
the endpoint's own keyset statement run by 20 threads. Then a bulk upsert of 10,000 applications.
"""

from __future__ import annotations

import http.client
import json
import os
import time
from typing import Any

from benchmarks.steps_pages import (
    PageSpec,
    _client,
    _stats,
    drive,
    main_statement,
    record,
    signed_in_member,
    sql_baseline,
    start_server,
    stop_server,
    with_timing,
)

PAGE = 100


def api_pages(workspace: str) -> list[PageSpec]:
    from mue.core.models import Workspace
    from mue.core.registry import registry
    from mue.web.spec import type_segment

    ws = Workspace.objects.get(slug=workspace)
    out = []
    for otype in registry:
        total = otype.model.objects.filter(workspace=ws).count()
        base = f"/api/v1/workspaces/{ws.slug}/{type_segment(otype)}?limit={PAGE}"
        for name, query in (("first", ""), ("last", "&last=true")):
            out.append(PageSpec(f"api:{otype.key}:{name}", f"API {otype.key} {name} page", base + query,
                                otype.model._meta.db_table, PAGE + 1, total))
    return out


def serve_api(workspace: str, clients: int = 20, requests: int = 100, seconds: float = 20.0,
              workers: int = 2, threads: int = 4) -> dict[str, Any]:
    with_timing()
    cookie = signed_in_member(workspace)
    client = _client(cookie)
    pages, statements, broken = api_pages(workspace), {}, {}
    for page in pages:
        record(client, page.path)
        status, queries = record(client, page.path)
        if status != 200:
            broken[page.label] = f"answered {status}"
            continue
        statements[page.label] = (main_statement(page, queries), len(queries))
    from django.db import connection

    connection.close()
    # The rate limit counts every request (its cost is measured) but never refuses one of the benchmark's.
    os.environ["MUE_API_RATE_LIMIT"] = "100000000/m"
    proc, port, log = start_server(workers, threads)
    out: dict[str, Any] = {"pages": {}, "broken": broken, "server": f"gunicorn {workers} workers × {threads} threads"}
    try:
        for page in pages:
            if page.label not in statements:
                continue
            drive(port, page.path, cookie, clients, workers * threads, seconds / 2)
            samples, wall = drive(port, page.path, cookie, clients, requests, seconds)
            (sql, params), count = statements[page.label]
            baseline = sql_baseline(sql, params, clients, requests, seconds / 2)
            out["pages"][page.label] = {
                "rows": page.rows, "requests": len(samples), "wall_s": wall, "queries": count,
                "statuses": sorted({s.status for s in samples}),
                "server": _stats([s.app_ms for s in samples if s.app_ms is not None]),
                "client": _stats([s.client_ms for s in samples]), "sql": _stats(baseline)}
        out["bulk"] = _bulk(port, workspace)
    finally:
        stop_server(proc)
        log.unlink(missing_ok=True)
    return out


def _bulk(port: int, workspace: str, count: int = 10_000) -> dict[str, Any]:
    """10,000 new applications in one bulk upsert through the server, with a token."""
    from django.contrib.auth import get_user_model

    from mue.api.tokens import create_token

    user = get_user_model().objects.get(username="bench-pages")
    secret = create_token(user, "bench")[1]
    stamp = int(time.time())
    items = [{"slug": f"bench-{stamp}-{i}", "name": f"Bench application {i}", "kind": "saas",
              "status": "approved", "tags": ["bench"]} for i in range(count)]
    body = json.dumps({"items": items})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    conn.request("POST", f"/api/v1/workspaces/{workspace}/applications/bulk", body=body,
                 headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json",
                          "Host": "127.0.0.1"})
    response = conn.getresponse()
    answer = response.read()
    elapsed = time.perf_counter() - started
    return {"status": response.status, "seconds": elapsed, "objects": count, "answer": answer[:300].decode()}
