"""The interactive dependency graph of a workspace, behind the one permission gate (members who may
read the workspace), and its data as JSON for the pages that embed the same view."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse

from mue.core.models import Workspace
from mue.graph.build import build_graph
from mue.graph.html import payload, render_page
from mue.graph.resolve import ResolveError, resolve
from mue.web.views.base import workspace_view


def _focus(graph, request: HttpRequest) -> int | None:
    reference = request.GET.get("focus")
    if not reference:
        return None
    try:
        return resolve(graph, reference)
    except ResolveError:
        return None  # an unknown focus shows the whole graph rather than an error page


@workspace_view("view")
def graph_page(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """``/w/<workspace>/graph/[?focus=type:slug]``: the page, scripts linked as static files."""
    graph = build_graph(workspace)
    return HttpResponse(render_page(graph, focus=_focus(graph, request), workspace_name=workspace.name,
                                    inline=False))


@workspace_view("view")
def graph_data(request: HttpRequest, workspace: Workspace) -> JsonResponse:
    """``/w/<workspace>/graph/data.json``: the nodes and edges the page draws."""
    graph = build_graph(workspace)
    return JsonResponse(payload(graph, _focus(graph, request), workspace.name),
                        json_dumps_params={"ensure_ascii": False})
