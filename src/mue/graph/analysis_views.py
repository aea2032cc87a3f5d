"""The graph's analysis pages: one object's impact and dependencies (and the tab of its detail page
that leads there), the single points of failure, the lineage of a data category.

Building the graph costs a constant number of queries, a third of a second on the largest
workspaces: the detail page's tab therefore loads its summary afterwards (htmx), so that opening an
object never waits for the graph.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from mue.core.models import Workspace
from mue.core.registry import ObjectType
from mue.graph.build import NODE_TYPES, TYPE_LABELS, build_graph
from mue.graph.formats import EDIT_FORMATS
from mue.graph.lineage import OUTSIDE, UnknownCategory, lineage
from mue.graph.reports import PAGE_LIMIT, node_url, object_report
from mue.graph.spof import single_points_of_failure
from mue.web.views.base import workspace_view

#: The summary in an object's tab lists this many objects per group.
SUMMARY_LIMIT = 8

#: Transfer zones (:func:`mue.core.countries.transfer_zone`) and lineage roles, in words.
ZONE_LABELS = {
    "eea": _("EEA"), "adequate": _("adequacy decision"), "conditional": _("outside the EU, under conditions"),
    "third-country": _("outside the EU"), "unknown": _("unknown location"),
}
ROLE_LABELS = {"holds": _("holds it"), "origin": _("sends it"), "receives": _("receives it")}


def _node(graph, type_name: str, slug: str) -> int:
    if type_name not in NODE_TYPES:
        raise Http404
    node = graph.find(type_name, slug)
    if node is None:
        raise Http404
    return node


@workspace_view("view")
def object_impact(request: HttpRequest, workspace: Workspace, type_name: str, slug: str) -> HttpResponse:
    """``/w/<ws>/graph/object/<type>/<slug>/``: what stops if it fails, what it depends on, with the
    paths; ``?summary=1`` answers the counts only (the fragment the detail page's tab loads)."""
    graph = build_graph(workspace)
    node = _node(graph, type_name, slug)
    summary = request.GET.get("summary") == "1"
    report = object_report(graph, workspace.slug, node, SUMMARY_LIMIT if summary else PAGE_LIMIT)
    context = {"report": report, "type_name": type_name, "slug": slug, "limit": PAGE_LIMIT,
               "default_view": "dependencies" if type_name in ("service", "process", "unit") else "impact"}
    context["edit_formats"] = EDIT_FORMATS
    return render(request, "graph/_object_summary.html" if summary else "graph/object.html", context)


def impact_tab(request: HttpRequest, workspace: Workspace, obj, otype: ObjectType) -> SafeString:
    """The detail page's tab: links to the impact page and the graph, and the summary loaded after."""
    base = reverse("web:graph_object", args=[workspace.slug, otype.singular, obj.slug])
    return render_to_string("graph/_tab.html", {
        "impact_url": base, "summary_url": base + "?summary=1", "workspace": workspace,
        "graph_url": reverse("web:graph", args=[workspace.slug]) + f"?focus={otype.singular}:{obj.slug}",
    }, request=request)


@workspace_view("view")
def spof_page(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """``/w/<ws>/graph/spof/[?min=3]``: applications and assets whose loss alone stops a critical service."""
    level = request.GET.get("min", "3")
    level = int(level) if level in ("1", "2", "3", "4") else 3
    graph = build_graph(workspace)
    points = single_points_of_failure(graph, level)
    rows = []
    for point in points:
        services = [{"name": graph.names[s], "url": node_url(graph, workspace.slug, s),
                     "criticality": int(graph.criticality[s])} for s in point.services]
        first = point.services[0]
        rows.append({
            "name": graph.names[point.node], "slug": graph.slugs[point.node], "key": graph.key(point.node),
            "type_label": TYPE_LABELS[graph.type_of(point.node)], "url": node_url(graph, workspace.slug, point.node),
            "impact_url": reverse("web:graph_object", args=[workspace.slug, graph.type_of(point.node),
                                                            graph.slugs[point.node]]),
            "worst": point.worst(graph), "services": services,
            "path": [graph.names[n] for n, _kind in point.paths[first]],
        })
    critical = sum(1 for s in graph.nodes_of("service") if graph.criticality[s] >= level)
    return render(request, "graph/spof.html", {"rows": rows, "level": level, "levels": (1, 2, 3, 4),
                                               "critical_services": critical})


@workspace_view("view")
def lineage_page(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """``/w/<ws>/graph/lineage/[?category=slug]``: where a data category goes, and where it leaves the EU."""
    graph = build_graph(workspace)
    chosen = request.GET.get("category", "")
    context: dict = {"categories": [(slug, name) for _id, slug, name, _pd in graph.categories], "chosen": chosen,
                     "result": None, "error": None, "edit_formats": EDIT_FORMATS}
    if chosen:
        try:
            result = lineage(graph, chosen)
        except UnknownCategory as exc:
            context["error"] = str(exc)
        else:
            context["result"] = _lineage_rows(graph, workspace.slug, result)
    return render(request, "graph/lineage.html", context, status=404 if context["error"] else 200)


def _lineage_rows(graph, workspace_slug: str, result) -> dict:
    _id, slug, name, personal = graph.categories[result.category]
    rows = []
    for node in result.reached:
        node = int(node)
        zone = result.zone(node)
        role = "holds" if node in result.holders else ("origin" if node in result.origin_set else "receives")
        rows.append({
            "name": graph.names[node], "type_label": TYPE_LABELS[graph.type_of(node)],
            "url": node_url(graph, workspace_slug, node), "hops": int(result.depth[node]),
            "country": graph.countries[node], "zone": ZONE_LABELS[zone], "outside": zone in OUTSIDE,
            "role": ROLE_LABELS[role],
            "path": [graph.names[p] for p, _flow in result.path(node)], "flow": result.flow_of(node),
        })
    exits = [dict(item, zone=ZONE_LABELS[item["zone"]],
                  url=node_url(graph, workspace_slug, graph.find(*item["object"].split(":", 1))),
                  source=graph.names[graph.find(*item["from"].split(":", 1))] if item["from"] else None)
             for item in result.exits]
    return {"slug": slug, "name": name, "personal": personal, "rows": rows, "exits": exits}
