"""Deliverables of the generated workspace: the audit report (DOCX, HTML) and the handover archive
written, then restored into a fresh database.

Baselines measured in the same run: for the report, the register's export as a map document
(``export_workspace``, what reading the whole register costs); for the handover, the same export
(the archive holds it and every other table); for the restore, the handover that wrote the archive.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from benchmarks.harness import Context, Result

REPORT_TARGET_S = 15.0
REPORT_RSS_MB = 1024.0
HANDOVER_TARGET_S = 60.0


def run(ctx: Context) -> list[Result]:
    loaded = ctx.load(fmt="json")
    archive = Path("var/bench") / f"handover-{ctx.size}.zip"
    archive.parent.mkdir(parents=True, exist_ok=True)
    rep = ctx.step("benchmarks.bench_reports:report", loaded.url, workspace=loaded.workspace)
    hand = ctx.step("benchmarks.bench_reports:handover", loaded.url, workspace=loaded.workspace,
                    path=str(archive.resolve()))
    rest = ctx.step("benchmarks.bench_reports:restore", ctx.fresh_database(), path=str(archive.resolve()))
    r, h = rep.data, hand.data
    size = ctx.size
    met = rep.peak_rss_mb <= REPORT_RSS_MB
    return [
        Result(f"report {size} as DOCX", r["docx_seconds"], "s", baseline=r["export_seconds"],
               target=f"≤ {REPORT_TARGET_S:g} s, ≤ {REPORT_RSS_MB:g} MB",
               met=r["docx_seconds"] <= REPORT_TARGET_S and met, peak_rss_mb=rep.peak_rss_mb,
               note=f"{r['docx_bytes'] / 1e6:.1f} MB, {r['findings']:,} open findings, {r['actions']} actions; "
                    f"content {r['content_seconds']:.1f} s included; baseline: export_workspace"),
        Result(f"report {size} as HTML", r["html_seconds"], "s", baseline=r["export_seconds"],
               target=f"≤ {REPORT_TARGET_S:g} s, ≤ {REPORT_RSS_MB:g} MB",
               met=r["html_seconds"] <= REPORT_TARGET_S and met, peak_rss_mb=rep.peak_rss_mb,
               note=f"{r['html_bytes'] / 1e6:.1f} MB; content included"),
        Result(f"handover {size}", h["seconds"], "s", baseline=h["export_seconds"],
               target=f"≤ {HANDOVER_TARGET_S:g} s", met=h["seconds"] <= HANDOVER_TARGET_S,
               peak_rss_mb=hand.peak_rss_mb,
               note=f"{h['bytes'] / 1e6:.1f} MB, {h['rows']:,} rows in {h['tables']} tables; baseline: "
                    "export_workspace"),
        Result(f"restore {size} into a fresh database", rest.data["seconds"], "s", baseline=h["seconds"],
               target=f"≤ {HANDOVER_TARGET_S:g} s", met=rest.data["seconds"] <= HANDOVER_TARGET_S,
               peak_rss_mb=rest.peak_rss_mb, note="checked whole, then one transaction; baseline: the handover"),
    ]


def _export_seconds(ws) -> float:
    from mue.interchange.exporter import export_workspace

    started = time.perf_counter()
    export_workspace(ws)
    return time.perf_counter() - started


def report(workspace: str) -> dict[str, Any]:
    from mue.audit.engine import run_audit
    from mue.audit.models import Finding
    from mue.core.models import Workspace
    from mue.reports.content import build_content
    from mue.reports.html import render_html
    from mue.reports.models import Action
    from mue.reports.services import current_draft
    from mue.reports.word import render_docx

    ws = Workspace.objects.get(slug=workspace)
    run_audit(ws, store=True, actor="bench")
    draft = current_draft(ws, author_name="bench")
    started = time.perf_counter()
    content = build_content(draft)
    content_done = time.perf_counter()
    docx = render_docx(content)
    docx_done = time.perf_counter()
    html = render_html(build_content(draft))
    html_done = time.perf_counter()
    return {"content_seconds": content_done - started, "docx_seconds": docx_done - started,
            "html_seconds": html_done - docx_done, "docx_bytes": len(docx), "html_bytes": len(html),
            "findings": Finding.objects.filter(run=draft.run, status="open").count(),
            "actions": Action.objects.filter(report=draft).count(), "export_seconds": _export_seconds(ws)}


def handover(workspace: str, path: str) -> dict[str, Any]:
    from mue.core.models import Workspace
    from mue.reports.handover import write_handover

    ws = Workspace.objects.get(slug=workspace)
    started = time.perf_counter()
    summary = write_handover(ws, path)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "bytes": Path(path).stat().st_size, "rows": summary.rows,
            "tables": len(summary.tables), "export_seconds": _export_seconds(ws)}


def restore(path: str) -> dict[str, Any]:
    from mue.reports.handover import restore as restore_archive

    started = time.perf_counter()
    ws = restore_archive(path)
    return {"seconds": time.perf_counter() - started, "workspace": ws.slug}
