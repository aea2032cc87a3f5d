"""The interactive diagram: its data (JSON) and its page, served by the app or exported as one file.

The page (templates/graph/graph.html + static/graph/graph.js) draws with Cytoscape.js. The served
view links the scripts as static files; the export inlines Cytoscape.js, the page's script and style
and the data, so the file opens anywhere, offline, with nothing else.
"""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mue.core.countries import transfer_zone
from mue.graph.build import DATA, EDGE_KINDS, NODE_TYPES, TYPE_LABELS, Graph
from mue.graph.propagation import DIMENSIONS, inherited_arrays

STATIC = Path(__file__).resolve().parent / "static" / "graph"
_CRIT = DIMENSIONS.index("criticality")


def edge_labels() -> dict[str, str]:
    """Human wording of each edge kind, read as "source <label> target"."""
    return {
        "uses": _("uses"), "depends-on": _("depends on"), "runs-on": _("runs on"), "hosted-on": _("is hosted on"),
        "located-at": _("is located at"), "provided-by": _("is provided by"), "served-by": _("is served by"),
        "owns": _("owns"), "data": _("sends data to"),
    }


def ui_strings() -> dict[str, str]:
    """The page's run-time wording, translated on the server and handed to the script."""
    return {
        "objects": _("objects"), "links": _("links"), "criticality": _("criticality"),
        "inherited_from": _("inherited from"), "own": _("stated"), "country": _("country"), "zone": _("zone"),
        "impact": _("What stops if it fails"), "dependencies": _("What it depends on"),
        "neighbourhood": _("Neighbourhood"), "none": _("Nothing to show with these filters."),
        "narrowed": _("Large graph: showing criticality ≥ %(level)s; choose a unit, a data category or an object."),
        "overview": _("Large graph: showing the services of criticality ≥ %(level)s; click one, choose a unit, a "
                      "data category or search an object."),
        "too_big": _("Large graph: choose a unit, a data category or search an object to start."),
        "data_held": _("data held"), "data_carried": _("data carried"), "kind": _("kind"),
        "focus_on": _("Focus on"), "impact_of": _("Impact of"), "dependencies_of": _("Dependencies of"),
        "reached": _("reached"), "worst": _("worst criticality reached"),
    }


def payload(graph: Graph, focus: int | None = None, workspace_name: str = "") -> dict:
    """Everything the page needs, compact: one entry per node and per edge."""
    values, origins = inherited_arrays(graph)
    holdings: dict[int, list[int]] = {}
    for node, category in graph.holdings.tolist():
        holdings.setdefault(node, []).append(category)
    carried: dict[int, list[int]] = {}
    for edge, category in graph.flow_data().tolist():
        carried.setdefault(edge, []).append(category)
    nodes = []
    for i in range(len(graph)):
        item = {"id": graph.key(i), "t": graph.type_of(i), "s": graph.slugs[i], "n": graph.names[i]}
        crit = int(values[i, _CRIT])
        if crit and item["t"] in ("service", "application", "asset"):
            item["c"] = crit
            if item["t"] != "service":
                item["f"] = graph.slugs[int(origins[i, _CRIT])]
        if graph.subkinds[i]:
            item["k"] = graph.subkinds[i]
        if graph.countries[i]:
            item["cc"] = graph.countries[i]
            item["z"] = transfer_zone(graph.countries[i])
        if i in holdings:
            item["d"] = sorted(holdings[i])
        nodes.append(item)
    edges = []
    for e, (a, b, kind) in enumerate(zip(graph.src.tolist(), graph.dst.tolist(), graph.kind.tolist(), strict=True)):
        if kind == DATA:  # drawn the way the data goes: source -> target
            edge = {"s": b, "t": a, "k": EDGE_KINDS[kind]}
            if e in carried:
                edge["d"] = sorted(carried[e])
        else:
            edge = {"s": a, "t": b, "k": EDGE_KINDS[kind]}
        edges.append(edge)
    return {
        "workspace": {"slug": graph.workspace_slug, "name": workspace_name or graph.workspace_slug},
        "types": list(NODE_TYPES),
        "typeLabels": {t: str(TYPE_LABELS[t]) for t in NODE_TYPES},
        "edgeLabels": edge_labels(),
        "strings": ui_strings(),
        "categories": [{"s": slug, "n": name, "p": personal} for _id, slug, name, personal in graph.categories],
        "nodes": nodes,
        "edges": edges,
        "focus": graph.key(focus) if focus is not None else None,
    }


def _script(text: str) -> str:
    """Text safe inside a <script> element (a literal "</script" would end it)."""
    return text.replace("</", "<\\/")


def render_page(graph: Graph, *, focus: int | None = None, workspace_name: str = "", inline: bool) -> str:
    """The page; ``inline`` puts Cytoscape.js, the script and the style inside (self-contained file)."""
    context = {
        "payload": payload(graph, focus, workspace_name),
        "title": _("Dependency graph — %(workspace)s") % {"workspace": workspace_name or graph.workspace_slug},
        "inline": inline,
        "language": get_language() or "en",
        "types": [(t, TYPE_LABELS[t]) for t in NODE_TYPES],
    }
    if inline:
        context["css"] = (STATIC / "graph.css").read_text(encoding="utf-8")
        context["cytoscape_js"] = _script((STATIC / "vendor" / "cytoscape.min.js").read_text(encoding="utf-8"))
        context["app_js"] = _script((STATIC / "graph.js").read_text(encoding="utf-8"))
    return render_to_string("graph/graph.html", context)


def export_html(graph: Graph, path: Path, *, focus: int | None = None, workspace_name: str = "") -> None:
    """Write the self-contained page to ``path``."""
    path.write_text(render_page(graph, focus=focus, workspace_name=workspace_name, inline=True), encoding="utf-8")
