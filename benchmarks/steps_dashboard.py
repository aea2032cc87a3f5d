"""Steps of :mod:`benchmarks.bench_dashboard`: the workspace dashboard and the advisor's cockpit, served.

``serve_dashboard`` audits the loaded workspace twice (so every panel has something to show: scores,
their trend, findings), makes a member of it, and drives the workspace's front page (the dashboard)
and the first page (the cockpit) with concurrent clients through gunicorn, as
:mod:`benchmarks.steps_pages` does for the register's pages. ``serve_cockpit_many`` imports the same
map as 50 workspaces, audits each twice, and drives the cockpit of a member of all of them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from benchmarks.steps_pages import (
    _client,
    _stats,
    drive,
    record,
    signed_in_member,
    start_server,
    stop_server,
    with_timing,
)

CLIENTS, REQUESTS, SECONDS = 20, 200, 30.0


def _audit_twice(workspace) -> None:
    from mue.audit.engine import run_audit
    from mue.audit.store import save_run

    for _ in range(2):
        save_run(run_audit(workspace), actor="bench")


def _serve(paths: dict[str, str], cookie: str, workers: int, threads: int) -> dict[str, Any]:
    client = _client(cookie)
    counts = {}
    for label, path in paths.items():
        record(client, path)  # warm: caches of the process, the dashboard's single points of failure
        status, queries = record(client, path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        counts[label] = len(queries)
    from django.db import connection

    connection.close()
    proc, port, log = start_server(workers, threads)
    out: dict[str, Any] = {"pages": {}, "load_before": os.getloadavg()[0],
                           "server": f"gunicorn {workers} workers × {threads} threads (gthread)"}
    try:
        for label, path in paths.items():
            drive(port, path, cookie, CLIENTS, workers * threads, SECONDS / 2)  # warm each worker
            lonely, _ = drive(port, path, cookie, 1, 5, SECONDS / 2)
            samples, wall = drive(port, path, cookie, CLIENTS, REQUESTS, SECONDS)
            bad = [s.status for s in samples if s.status != 200]
            if bad:
                raise RuntimeError(f"{path}: {len(bad)} answers not 200 ({bad[:3]})")
            out["pages"][label] = {
                "path": path, "requests": len(samples), "wall_s": wall, "queries": counts[label],
                "server": _stats([s.app_ms for s in samples if s.app_ms is not None]),
                "alone_ms": _stats([s.app_ms for s in lonely if s.app_ms is not None])["median"],
                "db": _stats([s.db_ms for s in samples if s.db_ms is not None]),
            }
    finally:
        out["load_after"] = os.getloadavg()[0]
        stop_server(proc)
        log.unlink(missing_ok=True)
    return out


def serve_dashboard(workspace: str, workers: int = 2, threads: int = 4) -> dict[str, Any]:
    from mue.core.models import Workspace

    with_timing()
    _audit_twice(Workspace.objects.get(slug=workspace))
    cookie = signed_in_member(workspace)
    return _serve({"dashboard": f"/w/{workspace}/", "cockpit": "/?all=1"}, cookie, workers, threads)


def serve_cockpit_many(map_path: str, count: int = 50, workers: int = 2, threads: int = 4) -> dict[str, Any]:
    """``count`` workspaces imported from the same map, each audited twice; the cockpit of their member."""
    from mue.core.models import Workspace
    from mue.interchange.importer import import_document

    with_timing()
    text = Path(map_path).read_text(encoding="utf-8")
    slugs = []
    for i in range(count):
        document = json.loads(text)
        document["workspace"]["slug"] = slug = f"client-{i:02d}"
        document["workspace"]["name"] = f"Client {i:02d}"
        import_document(document, source=map_path, actor="bench")
        _audit_twice(Workspace.objects.get(slug=slug))
        slugs.append(slug)
    cookie = signed_in_member(slugs[0])
    from mue.core.models import Membership

    user = Membership.objects.get(workspace__slug=slugs[0], role="owner", user__username="bench-pages").user
    for ws in Workspace.objects.filter(slug__in=slugs[1:]):
        Membership.objects.get_or_create(workspace=ws, user=user, defaults={"role": "auditor"})
    out = _serve({"cockpit": "/?all=1"}, cookie, workers, threads)
    out["workspaces"] = count
    return out
