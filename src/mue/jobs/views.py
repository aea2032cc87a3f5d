"""A job's page: its progress, polled by htmx until it ends, then a link to (or a jump to) its result."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from mue.core.models import Workspace
from mue.jobs.models import Job
from mue.jobs.runner import kind_of, refresh
from mue.web.views.base import workspace_view

POLL_SECONDS = 1


def _job(workspace: Workspace, pk: int) -> Job:
    job = Job.objects.filter(workspace=workspace, pk=pk).select_related("created_by").first()
    if job is None:
        raise Http404(_("No such job."))
    return refresh(job)


def _context(job: Job) -> dict:
    kind = kind_of(job)
    return {"job": job, "kind_label": kind.label if kind else job.kind,
            "result_url": kind.result_url(job) if kind and kind.result_url and job.finished_ok else None,
            "start_url": kind.start_url(job) if kind and kind.start_url else None,
            "poll_seconds": POLL_SECONDS}


@workspace_view("view")
def job_detail(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    return render(request, "jobs/job.html", _context(_job(workspace, pk)))


@workspace_view("view")
def job_status(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """The progress panel alone (htmx polls it); once the job succeeded, htmx is sent to its result."""
    context = _context(_job(workspace, pk))
    response = render(request, "jobs/_status.html", context)
    if request.htmx and context["result_url"] and request.GET.get("follow") == "1":
        response["HX-Redirect"] = context["result_url"]
    return response
