"""The dependency graph's pages inside a workspace, behind the one permission gate (every member):
the interactive diagram, its data as JSON, and SVG downloads of the whole graph or of one object.

The pages of one object, the single points of failure and the lineage are in :mod:`.analysis_views`.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from mue.core.models import Workspace
from mue.graph.build import NODE_TYPES, TYPE_LABELS, Graph, build_graph
from mue.graph.formats import EDIT_FORMATS
from mue.graph.html import payload
from mue.graph.resolve import ResolveError, resolve
from mue.graph.svg import default_selection, render_svg
from mue.interchange.sources import slugify
from mue.web.views.base import workspace_view


def focus_of(graph: Graph, request: HttpRequest) -> int | None:
    reference = request.GET.get("focus")
    if not reference:
        return None
    try:
        return resolve(graph, reference)
    except ResolveError:
        return None  # an unknown focus shows the whole graph rather than an error page


@workspace_view("view")
def graph_page(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """``/w/<workspace>/graph/[?focus=type:slug]``: the interactive diagram in the app's layout."""
    graph = build_graph(workspace)
    focus = focus_of(graph, request)
    return render(request, "graph/page.html", {
        "edit_formats": EDIT_FORMATS,
        "payload": payload(graph, focus, workspace.name),
        "types": [(t, TYPE_LABELS[t]) for t in NODE_TYPES],
        "focus": graph.key(focus) if focus is not None else "",
        "empty": len(graph) == 0,
        # The diagram's side panel links each object to its impact page: TYPE and SLUG replaced there.
        "object_url": reverse("web:graph_object", args=[workspace.slug, "TYPE", "SLUG"]),
    })


@workspace_view("view")
def graph_data(request: HttpRequest, workspace: Workspace) -> JsonResponse:
    """``/w/<workspace>/graph/data.json``: the nodes and edges the page draws."""
    graph = build_graph(workspace)
    return JsonResponse(payload(graph, focus_of(graph, request), workspace.name),
                        json_dumps_params={"ensure_ascii": False})


@workspace_view("view")
def graph_svg(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """``/w/<workspace>/graph/graph.svg[?focus=type:slug&view=impact|dependencies&data=0]``: a download.

    Without a focus, the whole workspace; with one, its impact (or what it depends on), as
    ``mue graph --svg`` draws it. ``inline=1`` shows it in the page instead of downloading it.
    """
    graph = build_graph(workspace)
    node = None
    if request.GET.get("focus"):
        try:
            node = resolve(graph, request.GET["focus"])
        except ResolveError as exc:
            raise Http404(exc.message) from None
    view = request.GET.get("view") if request.GET.get("view") in ("impact", "dependencies") else None
    selection = default_selection(graph, node, view, include_data=request.GET.get("data") != "0")
    response = HttpResponse(render_svg(graph, selection), content_type="image/svg+xml; charset=utf-8")
    name = workspace.slug if node is None else f"{workspace.slug}-{graph.slugs[node]}-{view or 'view'}"
    disposition = "inline" if request.GET.get("inline") == "1" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}.svg"'
    # An SVG opened on its own may hold scripts: none here, and the policy says so for this response.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["X-Content-Type-Options"] = "nosniff"
    return response



@workspace_view("view")
def graph_file(request: HttpRequest, workspace: Workspace, fmt: str) -> HttpResponse:
    """``/w/<ws>/graph/graph.<mermaid|graphml|drawio>``: the view ``graph.svg`` draws (``focus``, ``view``,
    ``data``), or with ``category=slug`` the lineage of that data category, as a file other tools edit."""
    from mue.graph.formats import FILES, lineage_selection, render
    from mue.graph.lineage import UnknownCategory, lineage

    if fmt not in FILES:
        raise Http404(fmt)
    graph = build_graph(workspace)
    if request.GET.get("category"):
        try:
            selection = lineage_selection(graph, lineage(graph, request.GET["category"]))
        except UnknownCategory as exc:
            raise Http404(str(exc)) from None
        name = f"{workspace.slug}-lineage-{request.GET['category']}"
    else:
        node = None
        if request.GET.get("focus"):
            try:
                node = resolve(graph, request.GET["focus"])
            except ResolveError as exc:
                raise Http404(exc.message) from None
        view = request.GET.get("view") if request.GET.get("view") in ("impact", "dependencies") else None
        selection = default_selection(graph, node, view, include_data=request.GET.get("data") != "0")
        name = workspace.slug if node is None else f"{workspace.slug}-{graph.slugs[node]}-{view or 'view'}"
    suffix, content_type = FILES[fmt]
    response = HttpResponse(render(fmt, graph, selection), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.{suffix}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
