"""The dependency views and the data lineage as files other tools edit: Mermaid, GraphML and draw.io.

Every format draws the same :class:`mue.graph.svg.Selection` (the whole workspace, an object's impact
or dependencies, a data category's lineage) with the same layout as the SVG (:mod:`mue.graph.layout`),
so a diagram opened in yEd or draw.io starts where Mue's picture is:

* **Mermaid** (``flowchart LR``): pasted into Markdown (GitLab, GitHub, a wiki), one node per object,
  dependencies as arrows, data flows dotted;
* **GraphML** for yEd and Gephi: the objects' attributes as GraphML keys (type, slug, criticality,
  kind of link) that Gephi filters on, and yEd's shapes, colours and positions;
* **draw.io** (diagrams.net): an uncompressed ``mxfile`` with coloured boxes at the layout's places.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

import numpy as np
from django.utils.translation import gettext as _

from mue.graph.build import DATA, EDGE_KINDS, TYPE_LABELS, Graph
from mue.graph.layout import layered
from mue.graph.svg import NODE_HEIGHT, NODE_WIDTH, TYPE_COLOURS, Selection

FORMATS = ("mermaid", "graphml", "drawio")
#: File name suffix and media type of each format.
FILES = {"mermaid": ("mmd", "text/vnd.mermaid; charset=utf-8"), "graphml": ("graphml", "application/xml"),
         "drawio": ("drawio", "application/xml")}


def lineage_selection(graph: Graph, result) -> Selection:
    """The lineage of a data category as a diagram: what it reaches, along the flows that carry it."""
    nodes = [int(n) for n in result.reached]
    carried = graph.flow_data()  # (edge position, category) of every flow; all of this category's are drawn
    positions = carried[carried[:, 1] == result.category, 0]
    # A data edge is stored target -> source (the target depends on its source), as in the graph.
    edges = sorted({(int(graph.src[e]), int(graph.dst[e]), DATA) for e in positions})
    _id, _slug, name, _personal = graph.categories[result.category]
    return Selection(nodes, edges, None, _("Lineage of %(category)s") % {"category": name})


def _drawn(edge: tuple[int, int, int]) -> tuple[int, int]:
    """(from, to) as drawn: data flows source -> target, other links dependent -> dependency."""
    dependent, dependency, kind = edge
    return (dependency, dependent) if kind == DATA else (dependent, dependency)


def _criticality(graph: Graph, node: int) -> int:
    return int(graph.criticality[node]) if graph.type_of(node) == "service" else 0


# -- Mermaid --------------------------------------------------------------------------------------


def _mermaid_label(text: str) -> str:
    """A label inside ``["..."]``: Mermaid's entity codes for what would end it or be read as markup."""
    for char, code in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("[", "#91;"),
                       ("]", "#93;"), ("|", "#124;"), ("`", "#96;")):
        text = text.replace(char, code)
    return " ".join(text.split()) or " "


def render_mermaid(graph: Graph, selection: Selection) -> str:
    """A Mermaid flowchart of ``selection``; node ids are ``n`` + the node's number."""
    lines = ["---", f"title: {_mermaid_label(selection.title)}", "---", "flowchart LR"]
    for type_name, colour in TYPE_COLOURS.items():
        lines.append(f"    classDef {type_name} fill:{colour},stroke:#333,color:#fff")
    for node in selection.nodes:
        label = _mermaid_label(f"{graph.names[node]} ({TYPE_LABELS[graph.type_of(node)]})")
        lines.append(f'    n{node}["{label}"]:::{graph.type_of(node)}')
    for edge in selection.edges:
        a, b = _drawn(edge)
        kind = EDGE_KINDS[edge[2]]
        arrow = "-.->" if edge[2] == DATA else "-->"
        lines.append(f"    n{a} {arrow}|{kind}| n{b}")
    if selection.focus is not None:
        lines.append(f"    style n{selection.focus} stroke-width:4px")
    return "\n".join(lines) + "\n"


# -- GraphML (yEd, Gephi) -------------------------------------------------------------------------

_GRAPHML_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xmlns:y="http://www.yworks.com/xml/graphml"
         xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd">
  <key id="label" for="node" attr.name="label" attr.type="string"/>
  <key id="type" for="node" attr.name="type" attr.type="string"/>
  <key id="slug" for="node" attr.name="slug" attr.type="string"/>
  <key id="criticality" for="node" attr.name="criticality" attr.type="int"><default>0</default></key>
  <key id="kind" for="edge" attr.name="kind" attr.type="string"/>
  <key id="graphics" for="node" yfiles.type="nodegraphics"/>
  <key id="edgegraphics" for="edge" yfiles.type="edgegraphics"/>
"""


def render_graphml(graph: Graph, selection: Selection) -> str:
    """A GraphML document of ``selection``: attributes for Gephi, shapes and places for yEd."""
    layout = layered(graph, selection.nodes, selection.edges)
    out = [_GRAPHML_HEAD, f'  <graph id={quoteattr(graph.workspace_slug)} edgedefault="directed">',
           f'    <desc>{escape(selection.title)}</desc>']
    for node in selection.nodes:
        type_name = graph.type_of(node)
        x, y = layout.positions[node]
        out += [
            f"    <node id=\"n{node}\">",
            f"      <data key=\"label\">{escape(graph.names[node])}</data>",
            f"      <data key=\"type\">{type_name}</data>",
            f"      <data key=\"slug\">{escape(graph.slugs[node])}</data>",
            f"      <data key=\"criticality\">{_criticality(graph, node)}</data>",
            "      <data key=\"graphics\"><y:ShapeNode>"
            f"<y:Geometry x=\"{x - NODE_WIDTH / 2:.0f}\" y=\"{y - NODE_HEIGHT / 2:.0f}\" width=\"{NODE_WIDTH}\" "
            f"height=\"{NODE_HEIGHT}\"/><y:Fill color=\"{TYPE_COLOURS[type_name]}\"/>"
            f"<y:NodeLabel textColor=\"#FFFFFF\">{escape(graph.names[node])}</y:NodeLabel>"
            "<y:Shape type=\"roundrectangle\"/></y:ShapeNode></data>",
            "    </node>",
        ]
    for number, edge in enumerate(selection.edges):
        a, b = _drawn(edge)
        style = ' type="dashed"' if edge[2] == DATA else ""
        out += [
            f"    <edge id=\"e{number}\" source=\"n{a}\" target=\"n{b}\">",
            f"      <data key=\"kind\">{EDGE_KINDS[edge[2]]}</data>",
            f"      <data key=\"edgegraphics\"><y:PolyLineEdge><y:LineStyle color=\"#8A949B\"{style}/>"
            "<y:Arrows source=\"none\" target=\"standard\"/></y:PolyLineEdge></data>",
            "    </edge>",
        ]
    out += ["  </graph>", "</graphml>"]
    return "\n".join(out) + "\n"


# -- draw.io --------------------------------------------------------------------------------------


def render_drawio(graph: Graph, selection: Selection) -> str:
    """A draw.io (diagrams.net) file of ``selection``, uncompressed so that it can be read and diffed."""
    layout = layered(graph, selection.nodes, selection.edges)
    cells = ['        <mxCell id="0"/>', '        <mxCell id="1" parent="0"/>']
    for node in selection.nodes:
        type_name = graph.type_of(node)
        x, y = layout.positions[node]
        border = "#c0392b" if _criticality(graph, node) >= 3 else "#333333"
        width = 3 if node == selection.focus else 1
        style = (f"rounded=1;whiteSpace=wrap;html=0;fillColor={TYPE_COLOURS[type_name]};fontColor=#ffffff;"
                 f"strokeColor={border};strokeWidth={width};")
        tooltip = f"{TYPE_LABELS[type_name]} · {graph.slugs[node]}"
        cells.append(
            f'        <UserObject id="n{node}" label={quoteattr(graph.names[node])} tooltip={quoteattr(tooltip)} '
            f'mue_type="{type_name}" mue_slug={quoteattr(graph.slugs[node])}>'
            f'<mxCell style="{style}" vertex="1" parent="1">'
            f'<mxGeometry x="{x - NODE_WIDTH / 2:.0f}" y="{y - NODE_HEIGHT / 2:.0f}" width="{NODE_WIDTH}" '
            f'height="{NODE_HEIGHT}" as="geometry"/></mxCell></UserObject>')
    for number, edge in enumerate(selection.edges):
        a, b = _drawn(edge)
        dashed = "dashed=1;strokeColor=#2f7fd1;" if edge[2] == DATA else "strokeColor=#8a949b;"
        cells.append(
            f'        <mxCell id="e{number}" value="{EDGE_KINDS[edge[2]]}" style="edgeStyle=orthogonalEdgeStyle;'
            f'rounded=1;html=0;endArrow=block;{dashed}" edge="1" parent="1" source="n{a}" target="n{b}">'
            '<mxGeometry relative="1" as="geometry"/></mxCell>')
    width, height = int(np.ceil(max(layout.width, 760))), int(np.ceil(layout.height))
    return "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<mxfile host="Mue" type="device">',
        f"  <diagram id=\"mue\" name={quoteattr(selection.title[:100] or 'Mue')}>",
        f'    <mxGraphModel dx="{width}" dy="{height}" grid="1" gridSize="10" page="0" arrows="1" connect="1">',
        "      <root>",
        *cells,
        "      </root>",
        "    </mxGraphModel>",
        "  </diagram>",
        "</mxfile>",
    ]) + "\n"


#: (format, its name) for the download buttons of the graph pages.
EDIT_FORMATS = (("mermaid", "Mermaid"), ("graphml", "GraphML (yEd, Gephi)"), ("drawio", "draw.io"))

RENDERERS = {"mermaid": render_mermaid, "graphml": render_graphml, "drawio": render_drawio}


def render(fmt: str, graph: Graph, selection: Selection) -> str:
    """``selection`` in ``fmt`` (one of :data:`FORMATS`)."""
    return RENDERERS[fmt](graph, selection)
