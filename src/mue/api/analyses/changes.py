"""The change log through the API: a workspace's entries, or one object's, newest first, filterable.

Pages are cut on (time, id) like the history pages (:func:`mue.web.views.history.paginate`): the thousandth
page costs what the first does.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from ninja import Router, Schema

from mue.api.analyses.common import LIMIT_PARAMETER, iso_date, page_size, query_parameter, when
from mue.api.auth import workspace_for
from mue.api.errors import ERROR_RESPONSES, ApiError, invalid
from mue.core.models import ChangeAction, ChangeLogEntry
from mue.core.registry import registry
from mue.web.history import object_entries
from mue.web.spec import type_segment
from mue.web.views.history import HistoryFilter, paginate, parse_cursor

router = Router(tags=["Change log"])


class ChangeOut(Schema):
    id: int
    time: str
    actor: str
    source: str
    request_id: str
    action: str
    object_type: str
    object_slug: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    message: str


class ChangePage(Schema):
    items: list[ChangeOut]
    older_cursor: str | None
    newer_cursor: str | None


_CURSOR = {"type": "string", "maxLength": 60}
PAGE_PARAMETERS = [LIMIT_PARAMETER,
                   query_parameter("older", _CURSOR, "An older_cursor: the page of older entries."),
                   query_parameter("newer", _CURSOR, "A newer_cursor: the page of newer entries.")]


def _out(entry: ChangeLogEntry) -> dict[str, Any]:
    return {"id": entry.pk, "time": when(entry.time), "actor": entry.actor_name, "source": entry.source,
            "request_id": str(entry.request_id), "action": entry.action, "object_type": entry.object_type,
            "object_slug": entry.object_slug, "before": entry.before, "after": entry.after, "message": entry.message}


def _page(request: HttpRequest, entries) -> dict[str, Any]:
    for name in ("older", "newer"):
        if request.GET.get(name) and parse_cursor(request.GET[name]) is None:
            raise invalid([{"field": name, "message": _("not a cursor of this list")}])
    params = {k: request.GET[k] for k in ("older", "newer") if request.GET.get(k)}
    page = paginate(entries, params, page_size(request))
    return {"items": [_out(e) for e in page.entries], "older_cursor": page.older_cursor,
            "newer_cursor": page.newer_cursor}


@router.get("/workspaces/{workspace}/changes", response={200: ChangePage, **ERROR_RESPONSES},
            operation_id="list_changes", summary="Everything that changed in the workspace, newest first",
            openapi_extra={"parameters": [
                query_parameter("type", {"type": "string", "maxLength": 50}, "Only this object type (singular)."),
                query_parameter("action", {"type": "string", "enum": ChangeAction.values}, "Only this action."),
                query_parameter("actor", {"type": "string", "maxLength": 150}, "Only what this user did."),
                query_parameter("since", {"type": "string", "format": "date"}, "On or after this day."),
                query_parameter("until", {"type": "string", "format": "date"}, "On or before this day."),
                *PAGE_PARAMETERS]})
def list_changes(request: HttpRequest, workspace: str) -> dict[str, Any]:
    ws = workspace_for(request, workspace)
    since, until = iso_date(request.GET.get("since"), "since"), iso_date(request.GET.get("until"), "until")
    form = HistoryFilter({"type": request.GET.get("type", ""), "action": request.GET.get("action", ""),
                          "actor": request.GET.get("actor", ""), "date_from": since or "", "date_to": until or ""})
    if not form.is_valid():
        raise invalid([{"field": {"date_from": "since", "date_to": "until"}.get(name, name), "message": " ".join(m)}
                       for name, m in form.errors.items()])
    return _page(request, form.apply(ChangeLogEntry.objects.filter(workspace=ws)))


def add_object_changes(router: Router) -> None:
    """``GET /workspaces/{workspace}/<type>/{slug}/changes`` for every register type."""
    for otype in registry:
        _add(router, otype)


def _add(router: Router, otype) -> None:
    def object_changes(request: HttpRequest, workspace: str, slug: str) -> dict[str, Any]:
        ws = workspace_for(request, workspace)
        obj = otype.model.objects.filter(workspace=ws, slug=slug).only("pk", "slug").first()
        if obj is None:
            raise ApiError(404, "not_found", _("No %(type)s '%(slug)s' in this workspace.") % {
                "type": otype.label, "slug": slug})
        return _page(request, object_entries(ws, otype, obj))

    router.add_api_operation(f"/workspaces/{{workspace}}/{type_segment(otype)}/{{slug}}/changes", ["GET"],
                             object_changes, response={200: ChangePage, **ERROR_RESPONSES},
                             operation_id=f"changes_{otype.key}", summary=f"The history of one {otype.label}",
                             tags=[str(capfirst(otype.model._meta.verbose_name_plural))],
                             openapi_extra={"parameters": PAGE_PARAMETERS})


add_object_changes(router)
