"""Export of a type's filtered list as CSV or XLSX, in the columns the importer reads back."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from mue.core.models import Workspace
from mue.interchange.exporter import export_items
from mue.interchange.sheets import sheet_bytes
from mue.web.views.base import workspace_view
from mue.web.views.objects import filtered, object_type

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@workspace_view("view")
def export_list(request: HttpRequest, workspace: Workspace, type_segment_: str, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    otype = object_type(type_segment_)
    rows, _filterset = filtered(request, workspace, otype)
    items = export_items(otype, rows.order_by("slug"))
    response = HttpResponse(sheet_bytes(otype, items, fmt, workspace), content_type=CONTENT_TYPES[fmt])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{workspace.slug}-{otype.key}-{stamp}.{fmt}"'
    return response
