"""Audit engine: full audit of the generated workspace, and re-audit after changing one object.

Baseline measured in the same run and process: the rules' bare SQL, i.e. for every active rule the
very querysets the engine runs (scope count, failing rows with their evidence columns), executed
back to back without the engine (no findings, evidence, waivers, questionnaire or score). The ratio
is the engine's own overhead. The re-audit is compared with the full audit.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from benchmarks.harness import Context, Result

FULL_TARGET_S = 3.0
RSS_TARGET_MB = 500.0
REAUDIT_TARGET_MS = 200.0
RUNS = 3


def run(ctx: Context) -> list[Result]:
    loaded = ctx.load(fmt="json")
    out = ctx.step("benchmarks.bench_audit:measure", loaded.url, workspace=loaded.workspace)
    d = out.data
    size = ctx.size
    return [
        Result(f"full audit {size}", d["audit_seconds"], "s", baseline=d["bare_sql_seconds"],
               target=f"≤ {FULL_TARGET_S:g} s, ≤ {RSS_TARGET_MB:g} MB",
               met=d["audit_seconds"] <= FULL_TARGET_S and out.peak_rss_mb <= RSS_TARGET_MB,
               peak_rss_mb=out.peak_rss_mb,
               note=f"{d['rules']} rules, {d['findings']:,} findings, {d['queries']} queries; median of {RUNS}; "
                    f"baseline: the rules' bare SQL in the same process"),
        Result(f"full audit {size}, stored", d["stored_seconds"], "s", baseline=d["audit_seconds"],
               note="the same audit kept as a run with its findings (one executemany); baseline: not stored"),
        Result(f"re-audit {size} after one change, median", d["reaudit_p50_ms"], "ms",
               baseline=d["audit_seconds"] * 1000, target=f"≤ {REAUDIT_TARGET_MS:g} ms",
               met=d["reaudit_p50_ms"] <= REAUDIT_TARGET_MS,
               note=f"max {d['reaudit_max_ms']:.0f} ms over {len(d['changes'])} changes "
                    f"({', '.join(d['changes'])}), read from the change log with their fields; "
                    f"baseline: the full audit"),
        Result(f"re-audit {size} after one change, fields unknown, median", d["reaudit_ids_p50_ms"], "ms",
               baseline=d["audit_seconds"] * 1000,
               note=f"max {d['reaudit_ids_max_ms']:.0f} ms; the same changes given as (type, id) only: every "
                    f"column counts as changed; baseline: the full audit"),
    ]


def _bare_sql(ctx) -> float:
    """Run every active rule's querysets as the engine would, without the engine."""
    from mue.audit.rules import observed_rules

    started = time.perf_counter()
    for rule in observed_rules():
        if rule.inactive_reason(ctx):
            continue
        scope = rule.scope(ctx)
        if scope.count():
            paths = list(dict.fromkeys(rule.evidence.values()))
            list(rule.failing(ctx, scope).order_by().values_list("pk", "slug", "name", *paths))
    return time.perf_counter() - started


def measure(workspace: str) -> dict[str, Any]:
    """The measured step (a child process with Django set up on the loaded database)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from mue.applications.models import Application
    from mue.audit.changes import changes_since
    from mue.audit.engine import run_audit
    from mue.audit.incremental import reaudit
    from mue.audit.rules.base import AuditContext
    from mue.core.models import ChangeLogEntry, Workspace
    from mue.dataflows.models import DataFlow
    from mue.services.models import Service

    ws = Workspace.objects.get(slug=workspace)
    audit = run_audit(ws, store=False)  # warm-up: connection, rule discovery, page cache
    as_of = audit.as_of
    audits, bare = [], []
    for _ in range(RUNS):
        started = time.perf_counter()
        audit = run_audit(ws, as_of, store=False)
        audits.append(time.perf_counter() - started)
        bare.append(_bare_sql(AuditContext(workspace=ws, as_of=as_of)))
    with CaptureQueriesContext(connection) as captured:
        run_audit(ws, as_of, store=False)
    with transaction.atomic():  # the shared database is left as it was
        started = time.perf_counter()
        run_audit(ws, as_of, store=True)
        stored = time.perf_counter() - started
        transaction.set_rollback(True)

    reaudit(audit, ws, [])  # warm-up: which tables each rule reads (computed once per process)
    timings, unknown, changes = [], [], []
    # Each edit changes something (a save that changes nothing logs nothing).
    edits = [
        ("application owner", Application.objects.filter(workspace=ws, owner__isnull=False).order_by("pk")[:2],
         "owner", None),
        ("application mfa", Application.objects.filter(workspace=ws).exclude(mfa=True).order_by("-pk")[:1],
         "mfa", True),
        ("flow encryption", DataFlow.objects.filter(workspace=ws, encrypted=True).order_by("pk")[:1],
         "encrypted", False),
        ("service backup owner", Service.objects.filter(workspace=ws, backup_owner__isnull=False).order_by("pk")[:1],
         "backup_owner", None),
    ]
    for label, objects, field, value in edits:
        for obj in objects:
            with transaction.atomic():
                mark = ChangeLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                setattr(obj, field, value)
                obj.save()
                started = time.perf_counter()
                logged, _last = changes_since(ws.pk, mark)
                reaudit(audit, ws, logged)
                timings.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                reaudit(audit, ws, [(c.object_type, c.object_id) for c in logged])
                unknown.append((time.perf_counter() - started) * 1000)
                changes.append(label)
                transaction.set_rollback(True)
    return {
        "audit_seconds": statistics.median(audits),
        "bare_sql_seconds": statistics.median(bare),
        "stored_seconds": stored,
        "rules": sum(1 for r in audit.rules if r.kind == "observed"),
        "findings": len(audit.findings),
        "queries": len(captured.captured_queries),
        "reaudit_p50_ms": statistics.median(timings),
        "reaudit_max_ms": max(timings),
        "reaudit_ids_p50_ms": statistics.median(unknown),
        "reaudit_ids_max_ms": max(unknown),
        "changes": changes,
    }
