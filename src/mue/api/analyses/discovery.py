"""Discovery through the API: upload logs (a job reads them), poll it, read the runs and the services found."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from mue.api.analyses.common import AFTER_PARAMETER, LIMIT_PARAMETER, cursor_page, query_parameter, when
from mue.api.analyses.jobs import JobOut, job_out
from mue.api.auth import caller, workspace_for
from mue.api.errors import ERROR_RESPONSES, ApiError, Error, invalid
from mue.core.access import Action
from mue.discovery.models import DiscoveredService, DiscoveryRun
from mue.discovery.readers import FORMATS
from mue.discovery.uploads import keep_uploads
from mue.jobs import runner
from mue.web.security import upload_too_large

router = Router(tags=["Discovery"])


class DiscoveryRunOut(Schema):
    id: int
    started: str | None
    finished: str | None
    files: list[dict[str, Any]]
    bytes_read: int
    lines: int
    malformed: int
    services: int | None
    applications: int | None
    shadow_services: int | None
    unknown_domain_count: int | None
    top_unknown_domains: list[Any]
    services_url: str


class DiscoveryRunPage(Schema):
    items: list[DiscoveryRunOut]
    next_cursor: str | None
    previous_cursor: str | None


class DiscoveredOut(Schema):
    service: str
    name: str
    category: str
    kind: str
    shadow: bool
    application: str | None
    users: int
    requests: int
    bytes: int
    first_seen: str | None
    last_seen: str | None
    units: dict[str, int]
    risk_score: float | None


class DiscoveredPage(Schema):
    items: list[DiscoveredOut]
    next_cursor: str | None
    previous_cursor: str | None


def _run_out(run: DiscoveryRun, workspace_slug: str) -> dict[str, Any]:
    report = run.report or {}
    return {"id": run.pk, "started": when(run.started), "finished": when(run.finished), "files": run.files or [],
            "bytes_read": run.bytes_read, "lines": run.lines, "malformed": run.malformed,
            "services": report.get("services"), "applications": report.get("applications"),
            "shadow_services": report.get("shadow_services"),
            "unknown_domain_count": report.get("unknown_domain_count"),
            "top_unknown_domains": report.get("top_unknown_domains", []),
            "services_url": f"/api/v1/workspaces/{workspace_slug}/discovery/runs/{run.pk}/services"}


@router.post("/workspaces/{workspace}/discovery/runs", response={202: JobOut, **ERROR_RESPONSES, 413: Error},
             operation_id="start_discovery", summary="Upload proxy or DNS logs; a job reads them (poll its url)",
             description="multipart/form-data: one or more `logs` files and, optionally, their `format` "
                         f"(auto, {', '.join(FORMATS)}). The files are deleted once read: only aggregates are kept.",
             openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                 "type": "object", "required": ["logs"], "properties": {
                     "logs": {"type": "array", "items": {"type": "string", "format": "binary"}},
                     "format": {"type": "string", "enum": ["auto", *FORMATS], "default": "auto"}}}}}}})
def start_discovery(request: HttpRequest, workspace: str) -> Status:
    ws = workspace_for(request, workspace, Action.AUDIT)
    if upload_too_large(request):
        raise ApiError(413, "too_large", _("The files are larger than this server accepts (%(size)s bytes at most).")
                       % {"size": settings.MUE_MAX_UPLOAD_BYTES})
    files = request.FILES.getlist("logs")
    fmt = request.POST.get("format", "auto") or "auto"
    if not files:
        raise invalid([{"field": "logs", "message": _("send at least one log file as multipart field 'logs'")}])
    if fmt != "auto" and fmt not in FORMATS:
        raise invalid([{"field": "format", "message": _("one of %(values)s") % {
            "values": ", ".join(("auto", *FORMATS))}}])
    folder, paths = keep_uploads(files)
    with transaction.atomic():
        job = runner.submit("discovery", ws, caller(request), paths=paths, fmt=fmt, upload_dir=str(folder))
    return Status(202, job_out(job, ws.slug))


@router.get("/workspaces/{workspace}/discovery/runs", response={200: DiscoveryRunPage, **ERROR_RESPONSES},
            operation_id="list_discovery_runs", summary="The discovery runs, newest first",
            openapi_extra={"parameters": [LIMIT_PARAMETER, AFTER_PARAMETER]})
def list_runs(request: HttpRequest, workspace: str) -> dict[str, Any]:
    ws = workspace_for(request, workspace)
    page = cursor_page(request, DiscoveryRun.objects.filter(workspace=ws), "started", descending=True)
    return {"items": [_run_out(r, ws.slug) for r in page.rows], "next_cursor": page.next_cursor,
            "previous_cursor": page.previous_cursor}


def _run(ws, run_id: int) -> DiscoveryRun:
    run = DiscoveryRun.objects.filter(workspace=ws, pk=run_id).first()
    if run is None:
        raise ApiError(404, "not_found", _("No discovery run %(id)s in this workspace.") % {"id": run_id})
    return run


@router.get("/workspaces/{workspace}/discovery/runs/{run_id}", response={200: DiscoveryRunOut, **ERROR_RESPONSES},
            operation_id="get_discovery_run", summary="One discovery run: what was read, what was found")
def get_run(request: HttpRequest, workspace: str, run_id: int) -> dict[str, Any]:
    ws = workspace_for(request, workspace)
    return _run_out(_run(ws, run_id), ws.slug)


@router.get("/workspaces/{workspace}/discovery/runs/{run_id}/services",
            response={200: DiscoveredPage, **ERROR_RESPONSES}, operation_id="list_discovered_services",
            summary="The services a run found, most used first",
            openapi_extra={"parameters": [
                query_parameter("shadow", {"type": "boolean"}, "Only the applications the register lacks (true)."),
                query_parameter("kind", {"type": "string", "maxLength": 20},
                                "application, or what systems fetch on their own (cdn, advertising…)."),
                LIMIT_PARAMETER, AFTER_PARAMETER]})
def list_services(request: HttpRequest, workspace: str, run_id: int) -> dict[str, Any]:
    ws = workspace_for(request, workspace)
    rows = DiscoveredService.objects.filter(run=_run(ws, run_id)).select_related("application")
    shadow = request.GET.get("shadow")
    if shadow in ("true", "1"):
        rows = rows.filter(application__isnull=True, kind="application")
    elif shadow in ("false", "0"):
        rows = rows.exclude(application__isnull=True, kind="application")
    elif shadow:
        raise invalid([{"field": "shadow", "message": _("true or false")}])
    if request.GET.get("kind"):
        rows = rows.filter(kind=request.GET["kind"])
    page = cursor_page(request, rows, "users", descending=True)
    return {"items": [{
        "service": s.service_id, "name": s.name, "category": s.category, "kind": s.kind, "shadow": s.is_shadow,
        "application": s.application.slug if s.application_id else None, "users": s.users, "requests": s.requests,
        "bytes": s.bytes, "first_seen": when(s.first_seen), "last_seen": when(s.last_seen), "units": s.units or {},
        "risk_score": None if s.risk_score is None else float(s.risk_score)} for s in page.rows],
        "next_cursor": page.next_cursor, "previous_cursor": page.previous_cursor}
