"""Mermaid, GraphML and draw.io files of the dependency views and of the lineage, read back by parsers."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from typer.testing import CliRunner

from mue.cli.main import app
from mue.graph.build import build_graph
from mue.graph.formats import lineage_selection, render_drawio, render_graphml, render_mermaid
from mue.graph.lineage import lineage
from mue.graph.svg import default_selection, impact_selection

runner = CliRunner()

# The flowchart subset Mue writes: front matter, the header, classes, nodes, edges, a style.
_MERMAID_LINE = re.compile(
    r'^(---|title: .+|flowchart LR'
    r'|    classDef \w+ fill:#[0-9a-f]{6},stroke:#333,color:#fff'
    r'|    n\d+\["[^"\[\]|<>`]+"\]:::\w+'
    r'|    n\d+ (-->|-\.->)\|[a-z-]+\| n\d+'
    r'|    style n\d+ stroke-width:4px)$')


def _mermaid_graph(text: str) -> nx.DiGraph:
    """Check every line against the grammar, every edge against declared nodes; the graph drawn."""
    drawn = nx.DiGraph()
    for line in text.splitlines():
        assert _MERMAID_LINE.match(line), line
        if node := re.match(r'    (n\d+)\["', line):
            drawn.add_node(node.group(1))
        elif edge := re.match(r"    (n\d+) \S+ (n\d+)", line):
            assert edge.group(1) in drawn and edge.group(2) in drawn, line
            drawn.add_edge(edge.group(1), edge.group(2))
    return drawn


def test_the_three_formats_draw_the_same_view(town):
    graph = build_graph(town)
    selection = impact_selection(graph, graph.find("service", "cantine"), reverse=True)
    expected = {(f"n{a}", f"n{b}") for a, b in
                ((d, s) if k == 8 else (s, d) for s, d, k in selection.edges)}  # data edges drawn source -> target
    mermaid = _mermaid_graph(render_mermaid(graph, selection))
    assert set(mermaid.edges) == expected and len(mermaid) == len(selection.nodes)

    graphml = nx.read_graphml(io.BytesIO(render_graphml(graph, selection).encode()))
    assert set(graphml.edges) == expected
    cantine = graphml.nodes[f"n{graph.find('service', 'cantine')}"]
    assert {key: cantine[key] for key in ("label", "type", "slug", "criticality")} == {
        "label": "Cantine", "type": "service", "slug": "cantine", "criticality": 3}
    assert cantine["shape_type"] == "roundrectangle" and int(cantine["x"]) >= 0  # yEd's shapes, read by networkx
    assert {data["kind"] for _a, _b, data in graphml.edges(data=True)} >= {"uses", "runs-on"}

    root = ET.fromstring(render_drawio(graph, selection))
    cells = root.find("diagram/mxGraphModel/root")
    vertices = {o.get("id"): o for o in cells.iter("UserObject")}
    assert len(vertices) == len(selection.nodes)
    edges = {(c.get("source"), c.get("target")) for c in cells.iter("mxCell") if c.get("edge") == "1"}
    assert edges == expected
    geometries = [(o.find("mxCell/mxGeometry").get("x"), o.find("mxCell/mxGeometry").get("y")) for o in
                  vertices.values()]
    assert len(set(geometries)) == len(geometries)  # laid out, no two boxes on one another


def test_names_that_look_like_markup_stay_labels(town):
    graph = build_graph(town)
    selection = default_selection(graph, None)
    text = render_mermaid(graph, selection)
    assert "Statistiques #lt;cloud#gt;" in text
    _mermaid_graph(text)
    assert nx.read_graphml(io.BytesIO(render_graphml(graph, selection).encode())).nodes[
        f"n{graph.find('application', 'analytics')}"]["label"] == "Statistiques <cloud>"
    assert ET.fromstring(render_drawio(graph, selection)) is not None


def test_lineage_as_a_diagram(town):
    graph = build_graph(town)
    selection = lineage_selection(graph, lineage(graph, "familles"))
    drawn = _mermaid_graph(render_mermaid(graph, selection))
    key = {f"n{n}": graph.key(n) for n in selection.nodes}
    assert {(key[a], key[b]) for a, b in drawn.edges} == {
        ("unit:enfance", "application:portail"), ("application:portail", "application:cantine-app"),
        ("application:cantine-app", "application:analytics")}
    assert "Lineage of Familles" in render_mermaid(graph, selection)


def test_cli_writes_each_format(town, tmp_path):
    files = {fmt: tmp_path / f"g.{fmt}" for fmt in ("mermaid", "graphml", "drawio", "svg")}
    result = runner.invoke(app, ["graph", "-w", "ville", "--focus", "service:paie",
                                 *[arg for fmt, path in files.items() for arg in (f"--{fmt}", str(path))]])
    assert result.exit_code == 0, result.output
    assert "GraphML written to" in result.output
    _mermaid_graph(files["mermaid"].read_text())
    assert nx.read_graphml(files["graphml"]).number_of_nodes() > 1
    ET.parse(files["drawio"])
    lineage_run = runner.invoke(app, ["graph", "-w", "ville", "--lineage", "paie", "--drawio", str(files["drawio"])])
    assert lineage_run.exit_code == 0, lineage_run.output
    assert len(ET.parse(files["drawio"]).getroot().findall(".//UserObject")) == 2
    assert runner.invoke(app, ["graph", "-w", "ville", "--lineage", "nope", "--mermaid", "x.mmd"]).exit_code == 4
    assert runner.invoke(app, ["graph", "-w", "ville"]).exit_code == 2


@pytest.mark.parametrize("fmt", ["mermaid", "graphml", "drawio"])
def test_download_from_the_graph_page(town, fmt, client, django_user_model):
    from mue.core.models import Membership

    user = django_user_model.objects.create_user("viewer", password="pw")
    Membership.objects.create(workspace=town, user=user, role="viewer")
    client.force_login(user)
    response = client.get(f"/w/ville/graph/graph.{fmt}?focus=service:cantine&view=dependencies")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    lineage_response = client.get(f"/w/ville/graph/graph.{fmt}?category=familles")
    assert lineage_response.status_code == 200 and b"Familles" in lineage_response.content
    assert client.get(f"/w/ville/graph/graph.{fmt}?category=nope").status_code == 404
    assert client.get("/w/ville/graph/graph.pdf").status_code == 404


def test_downloads_cost_the_same_queries_whatever_the_size(town, client, django_user_model):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mue.core.models import Membership
    from tests.graph.conftest import load, scaled

    big = load(scaled(20))
    user = django_user_model.objects.create_user("viewer", password="pw")
    for ws in (town, big):
        Membership.objects.create(workspace=ws, user=user, role="viewer")
    client.force_login(user)
    client.get("/w/ville/graph/graph.drawio")  # the session's first queries
    for query in ("", "?category=familles"):
        with CaptureQueriesContext(connection) as small:
            assert client.get(f"/w/ville/graph/graph.graphml{query}").status_code == 200
        with CaptureQueriesContext(connection) as large:
            response = client.get(f"/w/scaled-20/graph/graph.graphml{query.replace('familles', 'd')}")
        assert response.status_code == 200
        assert len(large) <= len(small), [q["sql"] for q in large.captured_queries]
