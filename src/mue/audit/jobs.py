"""The audit as a job (:mod:`mue.jobs`): started from the audit page, it survives the browser closing."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mue.jobs.runner import JobContext, register


def _result_url(job) -> str | None:
    run = job.result.get("run")
    return reverse("web:audit_run", args=[job.workspace.slug, run]) if run else None


@register("audit", gettext_lazy("Audit"), result_url=_result_url,
          start_url=lambda job: reverse("web:audit", args=[job.workspace.slug]))
def audit_job(ctx: JobContext, as_of: str | None = None) -> dict:
    """Audit the workspace with every rule, store the run, make it the live state."""
    import datetime as dt

    from mue.audit import live
    from mue.audit.engine import run_audit

    actor = ctx.user.get_username() if ctx.user else "job"
    mark = live.last_entry(ctx.workspace)  # changes made while the audit runs are caught up by the next refresh
    ctx.progress(0, message=_("Evaluating the rules…"))
    result = run_audit(ctx.workspace, dt.date.fromisoformat(as_of) if as_of else None, actor=actor,
                       progress=lambda done, total: ctx.progress(done, total))
    ctx.progress(message=_("Saving the findings…"))
    live.publish(ctx.workspace, result, mark, actor=actor)
    return {"run": result.run_id, "score": result.score.get("score"), "open": len(result.open_findings())}
