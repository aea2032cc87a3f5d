"""``mue job``: run a job (what the pages start in a detached process), list jobs and their state."""

from __future__ import annotations

import typer
from rich.table import Table

from mue.cli.app import ExitCode, _, app, console, fail, setup_django

job_app = typer.Typer(help=_("Long work run in the background: audits, discovery runs."), no_args_is_help=True)
app.add_typer(job_app, name="job")


@job_app.command("run", help=_("Run a queued job now, in this process (the pages start this for you)."))
def job_run(job_id: int = typer.Argument(..., help=_("The job's number."))) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.jobs.models import Job
    from mue.jobs.runner import run

    if not Job.objects.filter(pk=job_id).exists():
        raise fail(_("no job %(id)s") % {"id": job_id}, ExitCode.NOT_FOUND)
    job = run(job_id, heartbeat=True)
    if job.status == "failed":
        raise fail(_(job.error), ExitCode.FAILURE)
    console.print(_("Job %(id)s (%(kind)s): %(status)s.") % {"id": job.pk, "kind": job.kind,
                                                             "status": job.get_status_display()})


@job_app.command("list", help=_("The latest jobs, newest first; jobs whose process died are marked failed."))
def job_list(
    workspace: str = typer.Option(None, "--workspace", "-w", help=_("Only this workspace's jobs.")),
    limit: int = typer.Option(30, help=_("How many jobs to show.")),
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.cli.app import workspace_or_exit
    from mue.jobs.models import Job
    from mue.jobs.runner import reap

    jobs = Job.objects.select_related("workspace", "created_by")
    if workspace:
        jobs = jobs.filter(workspace=workspace_or_exit(workspace, "view"))
    reap(jobs)
    table = Table(_("job"), _("workspace"), _("kind"), _("status"), _("progress"), _("created"), _("by"), _("error"))
    for job in jobs.order_by("-created", "-id")[:limit]:
        progress = f"{job.done}/{job.total}" if job.total else str(job.done or "")
        table.add_row(str(job.pk), job.workspace.slug, job.kind, job.get_status_display(), progress,
                      f"{job.created:%Y-%m-%d %H:%M}", job.created_by.get_username() if job.created_by else "",
                      _(job.error)[:80] if job.error else "")
    console.print(table)
