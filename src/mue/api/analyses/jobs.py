"""A job's state, for the scripts that started one (an audit, a discovery run) and poll it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from mue.api.analyses.common import when
from mue.api.auth import workspace_for
from mue.api.errors import ERROR_RESPONSES, ApiError
from mue.jobs.models import Job
from mue.jobs.runner import refresh

router = Router(tags=["Jobs"])


class JobOut(Schema):
    id: int
    kind: str
    status: str
    done: int
    total: int | None
    percent: int | None
    message: str
    result: dict[str, Any]
    error: str
    created: str | None
    started: str | None
    finished: str | None
    url: str


def job_url(workspace_slug: str, job_id: int) -> str:
    return f"/api/v1/workspaces/{workspace_slug}/jobs/{job_id}"


def job_out(job: Job, workspace_slug: str) -> dict[str, Any]:
    """A job as the API shows it; ``url`` is where to poll it (finished: ``succeeded`` or ``failed``)."""
    return {"id": job.pk, "kind": job.kind, "status": job.status, "done": job.done, "total": job.total,
            "percent": job.percent, "message": job.message, "result": job.result or {}, "error": job.error,
            "created": when(job.created), "started": when(job.started), "finished": when(job.finished),
            "url": job_url(workspace_slug, job.pk)}


@router.get("/workspaces/{workspace}/jobs/{job_id}", response={200: JobOut, **ERROR_RESPONSES},
            operation_id="get_job", summary="A job's status, progress and result (poll it until it is finished)")
def get_job(request: HttpRequest, workspace: str, job_id: int) -> dict[str, Any]:
    ws = workspace_for(request, workspace)
    job = Job.objects.filter(workspace=ws, pk=job_id).first()
    if job is None:
        raise ApiError(404, "not_found", _("No job %(id)s in this workspace.") % {"id": job_id})
    return job_out(refresh(job), ws.slug)
