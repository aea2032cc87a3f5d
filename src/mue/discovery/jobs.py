"""A discovery run as a job (:mod:`mue.jobs`): log files read in the background, progress in bytes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mue.jobs.runner import JobContext, JobError, register


def _result_url(job) -> str | None:
    run = job.result.get("run")
    return reverse("web:discovery_run", args=[job.workspace.slug, run]) if run else None


@register("discovery", gettext_lazy("Discovery"), result_url=_result_url,
          start_url=lambda job: reverse("web:discovery", args=[job.workspace.slug]))
def discovery_job(ctx: JobContext, paths: list[str], fmt: str = "auto", upload_dir: str | None = None) -> dict:
    """Read the log files and store what they show. Uploaded files are deleted afterwards, whatever
    happens: raw logs name people, and Mue keeps only aggregates."""
    from mue.discovery.readers import UnknownFormat
    from mue.discovery.runner import run_discovery

    try:
        files = [Path(p) for p in paths]
        missing = [str(p) for p in files if not p.is_file()]
        if missing:
            raise JobError(_("These files cannot be read: %(files)s") % {"files": ", ".join(missing)})
        ctx.progress(0, sum(p.stat().st_size for p in files), message=_("Reading the logs…"))
        try:
            run, report = run_discovery(ctx.workspace, files, fmt=fmt, progress=lambda n: ctx.progress(advance=n))
        except UnknownFormat as exc:
            # An uploaded file is named as the user sent it, not by where it waited on the server.
            detail = re.sub(re.escape(upload_dir) + r"/\d+/", "", str(exc)) if upload_dir else str(exc)
            raise JobError(_("The format of the logs was not recognised (%(detail)s): choose it in the form.")
                           % {"detail": detail.split(";")[0]}) from None
        except ValueError as exc:
            raise JobError(str(exc)) from None
        return {"run": run.pk, "services": report["services"], "shadow_services": report["shadow_services"],
                "lines": report["lines"]}
    finally:
        if upload_dir:
            shutil.rmtree(upload_dir, ignore_errors=True)
