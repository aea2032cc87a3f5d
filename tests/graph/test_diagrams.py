"""Diagrams: the self-contained HTML page, the served view and the SVG."""

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mue.graph.build import DATA, build_graph
from mue.graph.html import payload, render_page
from mue.graph.resolve import resolve
from mue.graph.svg import default_selection, impact_selection, render_svg, whole
from tests.graph.conftest import load, scaled

SVG = "{http://www.w3.org/2000/svg}"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []
        self.scripts: list[dict] = []
        self.data: list[str] = []
        self._in_data = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href"):
            if attrs.get(name):
                self.links.append((tag, name, attrs[name]))
        if tag == "script":
            self.scripts.append(attrs)
            self._in_data = attrs.get("id") == "mue-graph-data"

    def handle_data(self, data):
        if self._in_data:
            self.data.append(data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_data = False


def _parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def test_exported_page_is_self_contained(town_graph):
    html = render_page(town_graph, workspace_name="Ville", inline=True)
    page = _parse(html)
    assert page.links == []  # no external script, style sheet or image
    assert "cytoscape" in html and "The Cytoscape Consortium" in html  # the library and its licence notice
    assert "mg-canvas" in html and ".mg-bar" in html  # the page's own script and style
    data = json.loads("".join(page.data))
    keys = {node["id"] for node in data["nodes"]}
    assert "application:portail" in keys and len(data["nodes"]) == len(town_graph)
    # The name with markup is data, never markup: json_script escapes "<".
    assert "Statistiques <cloud>" not in html
    assert any(node["n"] == "Statistiques <cloud>" for node in data["nodes"])


def test_payload_contents(town_graph):
    data = payload(town_graph, resolve(town_graph, "hv1"), "Ville")
    nodes = {node["id"]: node for node in data["nodes"]}
    assert data["focus"] == "asset:hv1"
    assert nodes["asset:hv1"]["c"] == 3 and nodes["asset:hv1"]["f"] == "cantine"
    assert nodes["service:paie"]["c"] == 4 and "f" not in nodes["service:paie"]
    assert nodes["application:analytics"]["z"] == "conditional"
    categories = [c["s"] for c in data["categories"]]
    assert [categories[i] for i in nodes["application:portail"]["d"]] == ["familles"]
    ids = [node["id"] for node in data["nodes"]]
    flows = [(ids[e["s"]], ids[e["t"]], [categories[i] for i in e["d"]]) for e in data["edges"] if e["k"] == "data"]
    # Flows are drawn the way the data goes.
    assert ("application:portail", "application:cantine-app", ["familles"]) in flows
    assert ("unit:enfance", "application:portail", ["familles"]) in flows
    assert set(data["edgeLabels"]) >= {"uses", "data", "runs-on"}


def _payload_queries(workspace) -> int:
    with CaptureQueriesContext(connection) as ctx:
        render_page(build_graph(workspace), inline=True)
    return len(ctx.captured_queries)


def test_page_query_count_does_not_grow(db):
    assert _payload_queries(load(scaled(2))) == _payload_queries(load(scaled(8)))


def _svg(graph, selection) -> ET.Element:
    return ET.fromstring(render_svg(graph, selection).encode("utf-8"))


def test_svg_is_well_formed_and_escapes_labels(town_graph):
    text = render_svg(town_graph, whole(town_graph))
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{SVG}svg"
    groups = root.findall(f".//{SVG}g[@data-key]")
    assert len(groups) == len(town_graph)
    assert "Statistiques &lt;cloud&gt;" in text
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert any(t and "Statistiques <cloud>" in t for t in titles)


def test_svg_impact_and_dependency_views(town_graph):
    g = town_graph
    impact_view = _svg(g, default_selection(g, resolve(g, "hv1")))
    shown = {el.get("data-key") for el in impact_view.iter(f"{SVG}g") if el.get("data-key")}
    assert shown == {"asset:hv1", "asset:vm-cantine", "application:cantine-app", "service:cantine",
                     "application:analytics", "process:inscription", "unit:enfance"}  # analytics loses a feed
    dependency_view = default_selection(g, resolve(g, "service:cantine"), include_data=False)
    assert {g.key(n) for n in dependency_view.nodes} == {
        "service:cantine", "application:portail", "application:cantine-app", "party:editeur-x",
        "asset:vm-cantine", "asset:hv1", "site:mairie"}
    assert "depends on" in dependency_view.title
    without_data = impact_selection(g, resolve(g, "hv1"), include_data=False)
    assert all(kind != DATA for _a, _b, kind in without_data.edges)
    _svg(g, dependency_view)


def test_svg_of_empty_workspace(workspace):
    graph = build_graph(workspace)
    assert _svg(graph, whole(graph)).tag == f"{SVG}svg"


@pytest.fixture
def member_client(client, django_user_model, town):
    """A viewer of the town's workspace: the graph is behind the one permission gate."""
    from mue.core.models import Membership, Workspace

    user = django_user_model.objects.create_user("viewer", password="pw")
    Membership.objects.create(workspace=Workspace.objects.get(slug="ville"), user=user, role="viewer")
    client.force_login(user)
    return client


def test_served_page_and_data(member_client):
    response = member_client.get(reverse("web:graph", args=["ville"]) + "?focus=hv1")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/graph/vendor/cytoscape.min.js" in html and "/static/graph/graph.js" in html
    assert '"focus": "asset:hv1"' in html
    assert "onsubmit" not in html  # no inline handler: the CSP forbids them
    data = member_client.get(reverse("web:graph_data", args=["ville"])).json()
    assert len(data["nodes"]) == 22 and data["workspace"]["name"] == "Ville"
    assert member_client.get("/w/nope/graph/").status_code == 404


def test_served_page_requires_sign_in(client, town):
    response = client.get("/w/ville/graph/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_served_page_is_404_for_non_members_and_staff(client, django_user_model, town):
    """A staff account that is no member of the workspace sees nothing (the old gate was is_staff)."""
    client.force_login(django_user_model.objects.create_user("staff", password="pw", is_staff=True,
                                                             is_superuser=True))
    assert client.get("/w/ville/graph/").status_code == 404
    assert client.get("/w/ville/graph/data.json").status_code == 404
