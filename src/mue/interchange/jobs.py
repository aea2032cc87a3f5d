"""Large imports from the import page as jobs (:mod:`mue.jobs`): a preview or an import of thousands of
rows takes seconds to minutes, more than a request should; as a job it shows its progress and goes on
when the browser is closed. Its outcome is written where the page reads it (the upload's result), so
the page shows a job's preview or import exactly as one made in the request."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mue.jobs.runner import JobContext, JobError, register


def as_job(upload, rows: int = 0) -> bool:
    """Whether this upload's preview or import runs as a job: a map file of ``MUE_IMPORT_JOB_BYTES`` or
    more, or ``MUE_IMPORT_JOB_ROWS`` rows or more in the sheets imported (settings)."""
    if upload.format in ("yaml", "json"):
        return upload.size >= settings.MUE_IMPORT_JOB_BYTES
    return rows >= settings.MUE_IMPORT_JOB_ROWS


def submit_import(upload, user, *, dry_run: bool):
    """Start the job and note it on the upload, whose page says it runs and links to it."""
    from mue.jobs.runner import submit

    job = submit("import", upload.workspace, user, upload=upload.pk, dry_run=dry_run)
    if not job.is_finished:  # run inline (tests, one-off scripts), it has written its result already
        upload.result = {"job": job.pk, "preview": dry_run, "pending": True}
        upload.save(update_fields=["result"])
    return job


def _page(job) -> str:
    return reverse("web:import_sheets", args=[job.workspace.slug, job.params["upload"]]) + "#result"


@register("import", gettext_lazy("Import"), result_url=_page, start_url=_page)
def import_job(ctx: JobContext, upload: int, dry_run: bool = True) -> dict[str, Any]:
    """Preview (``dry_run``) or import an uploaded file with the types and mappings its draft holds."""
    from mue.interchange.models import ImportUpload
    from mue.interchange.normalize import Names
    from mue.interchange.views import preview_map, run_sheets, sheets_of

    found = ImportUpload.objects.filter(workspace=ctx.workspace, pk=upload).first()
    if found is None:
        raise JobError(_("The uploaded file is no longer kept: upload it again."))
    actor = ctx.user.get_username() if ctx.user else "job"
    ctx.progress(0, message=_("Reading the file…"))

    def advance(_type: str, count: int) -> None:
        ctx.progress(advance=count, message=_("Checking and writing the objects…") if not dry_run else
                     _("Checking the objects…"))

    if found.format in ("yaml", "json"):
        preview_map(found, ctx.workspace, dry_run=dry_run, actor=actor, progress=advance,
                    counted=lambda total: ctx.progress(0, total))
    else:
        with sheets_of(found) as sheets:
            drafts = found.draft.get("sheets", [])
            ctx.progress(0, sum(s.data_rows for s, d in zip(sheets, drafts, strict=False) if d.get("include")))
            found.result = run_sheets(found, sheets, drafts, ctx.workspace, actor, Names(ctx.workspace.id),
                                      dry_run=dry_run, progress=advance)
        found.save(update_fields=["result"])
    result = found.result
    return {"upload": found.pk, "preview": dry_run, "ok": result.get("ok", False),
            "created": result.get("created", 0), "updated": result.get("updated", 0),
            "problems": result.get("problem_count", 0)}


def pending_job(upload):
    """The job an upload's page waits for (its state checked: a dead process shows as failed), or None."""
    from mue.jobs.models import Job
    from mue.jobs.runner import refresh

    job_id = (upload.result or {}).get("job") if (upload.result or {}).get("pending") else None
    job = Job.objects.filter(workspace_id=upload.workspace_id, pk=job_id).first() if job_id else None
    return refresh(job) if job is not None else None
