"""A whole map through the API: export a workspace as a map document (JSON or YAML), import one.

The import is the one pipeline of map files (:func:`mue.interchange.importer.import_document`): all
or nothing, every problem with its place (for JSON, the item's path), idempotent — importing what was
exported changes nothing. ``?dry_run=true`` answers what importing would do and writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from mue.api.analyses.common import query_parameter
from mue.api.auth import caller, workspace_for
from mue.api.errors import ERROR_RESPONSES, ApiError, Error, invalid, problems
from mue.core.access import Action
from mue.core.inputs import InputRejected, read_bytes
from mue.interchange.exporter import dumps, export_workspace
from mue.interchange.importer import ImportFailed, import_document
from mue.interchange.problems import rejected
from mue.interchange.sources import load_structured

router = Router(tags=["Maps"])

YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")


class ImportOut(Schema):
    workspace: str
    dry_run: bool
    created: dict[str, int]
    updated: dict[str, int]
    unchanged: dict[str, int]
    changes: list[dict[str, Any]]
    notes: list[str]


def _format(request: HttpRequest) -> str:
    fmt = request.GET.get("format", "json")
    if fmt not in ("json", "yaml"):
        raise invalid([{"field": "format", "message": _("json or yaml")}])
    return fmt


@router.get("/workspaces/{workspace}/map", response={200: dict[str, Any], **ERROR_RESPONSES},
            operation_id="export_map", summary="The whole workspace as a map document (what `mue export` writes)",
            openapi_extra={"parameters": [query_parameter("format", {"type": "string", "enum": ["json", "yaml"],
                                                                     "default": "json"}, "JSON or YAML.")],
                           "responses": {200: {"description": "The map document", "content": {
                               "application/json": {"schema": {"type": "object"}},
                               "application/yaml": {"schema": {"type": "object"}}}}}})
def export_map(request: HttpRequest, workspace: str) -> HttpResponse:
    ws = workspace_for(request, workspace)
    fmt = _format(request)
    content_type = "application/json" if fmt == "json" else "application/yaml; charset=utf-8"
    response = HttpResponse(dumps(export_workspace(ws), fmt), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{ws.slug}.{"json" if fmt == "json" else "yaml"}"'
    return response


@router.post("/workspaces/{workspace}/map", response={200: ImportOut, **ERROR_RESPONSES, 413: Error},
             operation_id="import_map", summary="Import a map document into the workspace, all or nothing",
             description="The body is a map document (what `GET …/map` answers, or a map file): JSON, or YAML "
                         "with Content-Type application/yaml. Objects absent from it are kept; present ones are "
                         "created or updated by slug. `?dry_run=true`: say what would change, write nothing.",
             openapi_extra={"parameters": [query_parameter("dry_run", {"type": "boolean", "default": False},
                                                           "A preview: nothing is written.")],
                            "requestBody": {"required": True, "content": {
                                "application/json": {"schema": {"type": "object"}},
                                "application/yaml": {"schema": {"type": "string"}}}}})
def import_map(request: HttpRequest, workspace: str) -> dict[str, Any]:
    ws = workspace_for(request, workspace, Action.CHANGE)
    dry_run = request.GET.get("dry_run", "false").lower() in ("true", "1")
    content_type = request.content_type or ""
    fmt = "yaml" if content_type in YAML_TYPES else "json"
    name = f"{ws.slug}.{fmt}"
    try:
        data = read_bytes(request.body, "map")
        if not data.strip():
            raise ApiError(400, "invalid_json", _("The request needs a map document as its body."))
        document, locate = load_structured(data, name, fmt)
        if not isinstance(document, dict):
            raise invalid([{"field": None, "message": _("a map document is an object of lists, by type")}])
        block = document.get("workspace")
        if isinstance(block, dict) and block.get("slug") not in (None, ws.slug):
            raise invalid([{"field": "workspace.slug", "message": _(
                "this document is of workspace '%(other)s', not '%(slug)s'") % {"other": block.get("slug"),
                                                                                "slug": ws.slug}}])
        user = caller(request)
        report = import_document(document, source=name, locate=locate, workspace=ws.slug, actor=user.get_username(),
                                 channel="api", dry_run=dry_run)
    except InputRejected as exc:
        raise problems(rejected(name, exc).problems, bulk=False) from None
    except ImportFailed as exc:
        raise problems(exc.problems, bulk=False) from None
    counts = report.as_dict()
    return {"workspace": ws.slug, "dry_run": report.dry_run, "created": counts["created"],
            "updated": counts["updated"], "unchanged": counts["unchanged"],
            "changes": [{"type": key, "slug": slug, "action": action, "fields": list(fields)}
                        for key, slug, action, fields in report.changes],
            "notes": [str(n) for n in report.notes]}
