"""The interactive dependency graph of a workspace, served by the app (staff only until the web app's
permissions land), and its data as JSON for the pages that will embed the same view."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404

from mue.core.models import Workspace
from mue.graph.build import build_graph
from mue.graph.html import payload, render_page
from mue.graph.resolve import ResolveError, resolve


def _focus(graph, request: HttpRequest) -> int | None:
    reference = request.GET.get("focus")
    if not reference:
        return None
    try:
        return resolve(graph, reference)
    except ResolveError:
        return None  # an unknown focus shows the whole graph rather than an error page


@staff_member_required
def graph_page(request: HttpRequest, workspace: str) -> HttpResponse:
    """``/graph/<workspace>/[?focus=type:slug]``: the page, scripts linked as static files."""
    ws = get_object_or_404(Workspace, slug=workspace)
    graph = build_graph(ws)
    return HttpResponse(render_page(graph, focus=_focus(graph, request), workspace_name=ws.name, inline=False))


@staff_member_required
def graph_data(request: HttpRequest, workspace: str) -> JsonResponse:
    """``/graph/<workspace>/data.json``: the nodes and edges the page draws."""
    ws = get_object_or_404(Workspace, slug=workspace)
    graph = build_graph(ws)
    return JsonResponse(payload(graph, _focus(graph, request), ws.name), json_dumps_params={"ensure_ascii": False})
