"""Static SVG diagrams for reports, written as XML by hand (no Graphviz needed).

Three views share one renderer: the whole workspace, the impact of an object (what stops if it
fails) and the dependencies of an object (what it rests on; the natural view of a service). Each is
a set of nodes and the edges between them, laid out in columns by :mod:`mue.graph.layout`.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import numpy as np
from django.utils.translation import gettext as _

from mue.graph.build import DATA, EDGE_KINDS, NODE_TYPES, STRUCTURAL, TYPE_LABELS, Graph
from mue.graph.layout import layered
from mue.graph.propagation import effective_criticality
from mue.graph.traverse import impact

# Colours by node type (fill, text) and by criticality (border); shared with static/graph/graph.js.
TYPE_COLOURS = {
    "unit": "#8e7cc3", "process": "#c27ba0", "service": "#3d85c6", "application": "#45a06f",
    "asset": "#b7894b", "site": "#7f8c8d", "party": "#d0a526",
}
CRITICALITY_COLOURS = {0: "#5f6b73", 1: "#5f6b73", 2: "#e0b000", 3: "#e67e22", 4: "#c0392b"}
NODE_WIDTH, NODE_HEIGHT = 190, 38


@dataclass
class Selection:
    """What a diagram shows: nodes, edges (dependent, dependency, kind) and an optional focus."""

    nodes: list[int]
    edges: list[tuple[int, int, int]]
    focus: int | None = None
    title: str = ""


def _edges_among(graph: Graph, nodes: np.ndarray, include_data: bool = True) -> list[tuple[int, int, int]]:
    inside = np.zeros(len(graph), dtype=bool)
    inside[nodes] = True
    keep = inside[graph.src] & inside[graph.dst]
    if not include_data:
        keep &= graph.kind != DATA
    pairs = {(int(a), int(b), int(k)) for a, b, k in zip(graph.src[keep], graph.dst[keep], graph.kind[keep],
                                                          strict=True)}
    return sorted(pairs)


def whole(graph: Graph) -> Selection:
    nodes = np.arange(len(graph))
    return Selection(list(map(int, nodes)), _edges_among(graph, nodes), None,
                     _("Dependency graph of %(workspace)s") % {"workspace": graph.workspace_slug})


def impact_selection(graph: Graph, node: int, *, reverse: bool = False, include_data: bool = True) -> Selection:
    """The object and everything its failure reaches (or, ``reverse``, everything it rests on)."""
    result = impact(graph, node, reverse=reverse, include_data=include_data)
    nodes = np.concatenate([[node], result.reached]).astype(np.int64)
    title = (_("What %(object)s depends on") if reverse else _("What stops if %(object)s fails")) % {
        "object": graph.names[node]}
    edges = _edges_among(graph, nodes, include_data)
    # Keep only edges that point the way of the question, so the picture reads as the answer.
    kinds = STRUCTURAL | ({DATA} if include_data else set())
    reach = set(map(int, nodes))
    edges = [e for e in edges if e[2] in kinds and e[0] in reach and e[1] in reach]
    return Selection(list(map(int, nodes)), edges, node, title)


def render_svg(graph: Graph, selection: Selection) -> str:
    """An SVG document of ``selection`` (UTF-8 text, every label escaped)."""
    layout = layered(graph, selection.nodes, selection.edges)
    crit = effective_criticality(graph)
    legend_height = 56
    width = max(layout.width, 760)
    height = layout.height + legend_height
    out: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="Helvetica, Arial, sans-serif">',
        f"<title>{escape(selection.title)}</title>",
        '<defs>'
        '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8a949b"/></marker>'
        '<marker id="arrow-data" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#2f7fd1"/></marker>'
        '</defs>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<text x="20" y="28" font-size="18" font-weight="bold" fill="#222">{escape(selection.title)}</text>',
    ]
    for col, type_name in sorted(layout.column_types.items()):
        x = layout.column_x[col]
        out.append(f'<text x="{x:.0f}" y="56" font-size="12" fill="#666" text-anchor="middle">'
                   f"{escape(str(TYPE_LABELS[type_name]))}</text>")
    out.append('<g class="edges" fill="none">')
    for dependent, dependency, kind in selection.edges:
        if dependent not in layout.positions or dependency not in layout.positions:
            continue
        # Data flows are drawn source -> target; other edges dependent -> dependency.
        a, b = (dependency, dependent) if kind == DATA else (dependent, dependency)
        out.append(_edge_path(layout.positions[a], layout.positions[b], kind))
    out.append("</g>")
    out.append('<g class="nodes">')
    for node in selection.nodes:
        out.append(_node(graph, node, layout.positions[node], int(crit[node]), node == selection.focus))
    out.append("</g>")
    out.append(_legend(height - legend_height + 14))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _edge_path(a: tuple[float, float], b: tuple[float, float], kind: int) -> str:
    (x1, y1), (x2, y2) = a, b
    data = kind == DATA
    style = 'stroke="#2f7fd1" stroke-dasharray="5 4" marker-end="url(#arrow-data)"' if data else \
        'stroke="#8a949b" marker-end="url(#arrow)"'
    label = escape(EDGE_KINDS[kind])
    if abs(x2 - x1) < 1:  # same column: an arc on the right side
        x = x1 + NODE_WIDTH / 2
        bend = x + 40 + min(abs(y2 - y1) / 4, 80)
        d = f"M{x:.1f},{y1:.1f} C{bend:.1f},{y1:.1f} {bend:.1f},{y2:.1f} {x:.1f},{y2:.1f}"
    else:
        sign = 1 if x2 > x1 else -1
        sx, ex = x1 + sign * NODE_WIDTH / 2, x2 - sign * NODE_WIDTH / 2
        mid = (sx + ex) / 2
        d = f"M{sx:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} {ex:.1f},{y2:.1f}"
    return f'<path d="{d}" stroke-width="1.3" {style}><title>{label}</title></path>'


def _shorten(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _node(graph: Graph, node: int, pos: tuple[float, float], crit: int, focus: bool) -> str:
    x, y = pos
    type_name = graph.type_of(node)
    border = CRITICALITY_COLOURS.get(crit, "#5f6b73")
    stroke = 1 + (crit if crit else 0) * 0.9 + (2 if focus else 0)
    focus_ring = (f'<rect x="{x - NODE_WIDTH / 2 - 5:.1f}" y="{y - NODE_HEIGHT / 2 - 5:.1f}" '
                  f'width="{NODE_WIDTH + 10}" height="{NODE_HEIGHT + 10}" rx="10" fill="none" stroke="#111" '
                  f'stroke-width="2" stroke-dasharray="4 3"/>') if focus else ""
    tooltip = f"{graph.key(node)} — {graph.names[node]}"
    if crit:
        tooltip += " — " + _("criticality %(level)s") % {"level": crit}
    return (
        f'<g class="node {escape(type_name)}" data-key={quoteattr(graph.key(node))}>'
        f"<title>{escape(tooltip)}</title>{focus_ring}"
        f'<rect x="{x - NODE_WIDTH / 2:.1f}" y="{y - NODE_HEIGHT / 2:.1f}" width="{NODE_WIDTH}" '
        f'height="{NODE_HEIGHT}" rx="7" fill="{TYPE_COLOURS[type_name]}" stroke="{border}" '
        f'stroke-width="{stroke:.1f}"/>'
        f'<text x="{x:.1f}" y="{y - 2:.1f}" font-size="12" fill="#fff" text-anchor="middle" '
        f'font-weight="bold">{escape(_shorten(graph.names[node]))}</text>'
        f'<text x="{x:.1f}" y="{y + 12:.1f}" font-size="9.5" fill="#f4f4f4" text-anchor="middle">'
        f"{escape(_shorten(graph.slugs[node], 32))}{'' if not crit else ' · C' + str(crit)}</text></g>"
    )


def _legend(y: float) -> str:
    parts = ['<g class="legend" font-size="11" fill="#333">']
    x = 20.0
    for type_name in NODE_TYPES:
        label = escape(str(TYPE_LABELS[type_name]))
        parts.append(f'<rect x="{x:.0f}" y="{y:.0f}" width="12" height="12" rx="2" fill="{TYPE_COLOURS[type_name]}"/>'
                     f'<text x="{x + 16:.0f}" y="{y + 10:.0f}">{label}</text>')
        x += 24 + 6.5 * len(label)
    y2 = y + 22
    # Translated before formatting: xgettext does not look inside f-strings.
    depends_on, data_flow = escape(_("depends on")), escape(_("data flow"))
    parts.append(f'<line x1="20" y1="{y2:.0f}" x2="50" y2="{y2:.0f}" stroke="#8a949b" marker-end="url(#arrow)"/>'
                 f'<text x="56" y="{y2 + 4:.0f}">{depends_on}</text>'
                 f'<line x1="160" y1="{y2:.0f}" x2="190" y2="{y2:.0f}" stroke="#2f7fd1" stroke-dasharray="5 4" '
                 f'marker-end="url(#arrow-data)"/><text x="196" y="{y2 + 4:.0f}">{data_flow}</text>')
    x = 320.0
    for level in (2, 3, 4):
        criticality = escape(_("criticality %(level)s") % {"level": level})
        parts.append(f'<rect x="{x:.0f}" y="{y2 - 6:.0f}" width="12" height="12" rx="2" fill="none" '
                     f'stroke="{CRITICALITY_COLOURS[level]}" stroke-width="{1 + level * 0.9:.1f}"/>'
                     f'<text x="{x + 17:.0f}" y="{y2 + 4:.0f}">{criticality}</text>')
        x += 110
    parts.append("</g>")
    return "".join(parts)


def default_selection(graph: Graph, node: int | None, view: str | None = None,
                      include_data: bool = True) -> Selection:
    """The view for a focus: impact for what can fail, dependencies for a service, process or unit."""
    if node is None:
        return whole(graph)
    if view is None:
        view = "dependencies" if graph.type_of(node) in ("service", "process", "unit") else "impact"
    return impact_selection(graph, node, reverse=view == "dependencies", include_data=include_data)


__all__ = ["Selection", "default_selection", "impact_selection", "render_svg", "whole"]
