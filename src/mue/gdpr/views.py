"""The GDPR page of a workspace: the record and its downloads, suggestions from the map, subject requests."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mue.core.models import Workspace
from mue.core.registry import registry
from mue.gdpr.exports import CONTENT_TYPES, FORMATS
from mue.gdpr.exports import render as render_record
from mue.gdpr.models import ProcessingActivity
from mue.gdpr.record import build_record
from mue.gdpr.subjects import subject_map
from mue.gdpr.suggest import record_drafts, suggestions
from mue.web.spec import type_segment
from mue.web.views.base import workspace_view


@workspace_view("view")
def gdpr_home(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    record = build_record(workspace)
    drafts = ProcessingActivity.objects.filter(workspace=workspace, status="draft").order_by("name")
    query = request.GET.get("subjects", "").strip()[:100]
    return render(request, "gdpr/home.html", {
        "workspace": workspace, "record": record, "drafts": drafts, "formats": FORMATS,
        "suggestions": suggestions(workspace), "may_change": "change" in request.workspace_actions,
        "segment": type_segment(registry["processing_activities"]), "query": query,
        "subjects": subject_map(workspace, query) if query else None})


@workspace_view("view")
def record_download(request: HttpRequest, workspace: Workspace, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404(_("Unknown format."))
    body = render_record(build_record(workspace), fmt)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    if fmt != "html":
        response["Content-Disposition"] = f'attachment; filename="{workspace.slug}-registre-rgpd.{fmt}"'
    return response


@require_POST
@workspace_view("change")
def record_suggestions(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """Write the suggestions not yet in the record as drafts (the page's explicit action)."""
    report = record_drafts(workspace, suggestions(workspace), actor=request.user.get_username())
    created = report.created.get("processing_activities", 0)
    messages.success(request, _("%(n)d draft activity(ies) written: open each one to accept (status "
                                "\"In the record\"), edit or reject it.") % {"n": created})
    return redirect("web:gdpr", workspace.slug)
