"""The graph's pages in the app: the diagram in the layout, an object's impact and dependencies (and
its tab), the single points of failure, the lineage of a data category, the SVG downloads."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.graph.conftest import load, scaled

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(client, django_user_model, town):
    from mue.core.models import Membership

    user = django_user_model.objects.create_user("viewer", password="pw")
    Membership.objects.create(workspace=town, user=user, role="viewer")
    client.force_login(user)
    return client


def test_graph_page_is_inside_the_layout_with_its_navigation(viewer):
    html = viewer.get("/w/ville/graph/?focus=hv1").content.decode()
    assert 'class="mue-graph mue-graph--embedded"' in html
    assert 'id="sidebar-menu"' in html  # the app's navigation
    assert 'href="/w/ville/graph/spof/"' in html and 'href="/w/ville/graph/lineage/"' in html
    assert '"focus": "asset:hv1"' in html
    assert 'data-object-url="/w/ville/graph/object/TYPE/SLUG/"' in html


def test_object_page_separates_what_stops_from_what_loses_a_data_feed(viewer):
    response = viewer.get("/w/ville/graph/object/asset/hv1/")
    assert response.status_code == 200
    report = response.context["report"]
    stops, feed = report.impact
    assert {r.slug for r in stops.rows} == {"vm-cantine", "cantine-app", "cantine", "inscription", "enfance"}
    # The statistics application stops getting the families' data from the canteen software but keeps
    # running; what rests on it is neither stopped nor fed less (the data feed is one flow away).
    assert {r.slug for r in feed.rows} == {"analytics"}
    assert stops.worst.slug == "cantine" and stops.worst.criticality == 3
    rests, fed = report.dependencies
    assert {r.slug for r in rests.rows} == {"mairie"}
    html = response.content.decode()
    assert 'href="/w/ville/assets/hv1/"' in html and 'href="/w/ville/services/cantine/"' in html
    assert "Logiciel cantine → Cantine" in html  # the path explaining a reached service


def test_object_page_of_a_service_lists_what_it_rests_on_and_where_its_data_comes_from(viewer):
    report = viewer.get("/w/ville/graph/object/service/cantine/").context["report"]
    rests, fed = report.dependencies
    assert {"portail", "cantine-app", "vm-cantine", "hv1", "editeur-x"} <= {r.slug for r in rests.rows}
    assert {r.slug for r in fed.rows} == {"enfance"}  # the unit entering the families' data


def test_unknown_object_or_type_is_404(viewer):
    assert viewer.get("/w/ville/graph/object/asset/nope/").status_code == 404
    assert viewer.get("/w/ville/graph/object/flow/x/").status_code == 404


def test_detail_page_has_the_tab_and_its_summary_loads_after(viewer):
    html = viewer.get("/w/ville/assets/hv1/").content.decode()
    assert 'hx-get="/w/ville/graph/object/asset/hv1/?summary=1"' in html
    assert 'href="/w/ville/graph/object/asset/hv1/#impact"' in html
    summary = viewer.get("/w/ville/graph/object/asset/hv1/?summary=1").content.decode()
    assert "<html" not in summary and "Cantine" in summary
    # Types that are no nodes of the graph (flows, documents...) have no such tab.
    flow = viewer.get("/w/ville/flows/").context["table"][0]["obj"]
    assert "graph/object" not in viewer.get(f"/w/ville/flows/{flow.slug}/").content.decode()


def test_spof_page(viewer):
    response = viewer.get("/w/ville/graph/spof/")
    rows = response.context["rows"]
    assert {r["slug"] for r in rows} >= {"vm-cantine", "hv1", "cantine-app", "portail"}
    assert "srv-a" not in {r["slug"] for r in rows}  # the pay software runs on two servers
    assert viewer.get("/w/ville/graph/spof/?min=4").context["level"] == 4
    assert "No service of criticality" not in response.content.decode()


def test_spof_page_says_when_there_is_nothing(client, django_user_model):
    from mue.core.models import Membership

    ws = load({"workspace": {"slug": "vide", "name": "Vide"}})
    user = django_user_model.objects.create_user("u", password="pw")
    Membership.objects.create(workspace=ws, user=user, role="viewer")
    client.force_login(user)
    assert "No service of criticality ≥ 3" in client.get("/w/vide/graph/spof/").content.decode()
    assert "The register holds no object to draw yet." in client.get("/w/vide/graph/").content.decode()
    assert "No data category in the register yet." in client.get("/w/vide/graph/lineage/").content.decode()


def test_lineage_page_shows_where_data_leaves_the_eu(viewer):
    response = viewer.get("/w/ville/graph/lineage/?category=familles")
    result = response.context["result"]
    assert [e["object"] for e in result["exits"]] == ["application:analytics"]
    assert result["exits"][0]["source"] == "Logiciel cantine"
    html = response.content.decode()
    assert "outside the EU" in html and "⚠" in html  # said in words and a sign, not by colour alone
    assert viewer.get("/w/ville/graph/lineage/?category=nope").status_code == 404


def test_svg_downloads(viewer):
    whole = viewer.get("/w/ville/graph/graph.svg")
    assert whole["Content-Type"].startswith("image/svg+xml")
    assert whole["Content-Disposition"] == 'attachment; filename="ville.svg"'
    ET.fromstring(whole.content)
    focused = viewer.get("/w/ville/graph/graph.svg?focus=asset:hv1&view=impact&inline=1")
    assert focused["Content-Disposition"].startswith("inline;")
    keys = {el.get("data-key") for el in ET.fromstring(focused.content).iter() if el.get("data-key")}
    assert "service:cantine" in keys and "site:mairie" not in keys
    assert viewer.get("/w/ville/graph/graph.svg?focus=nope").status_code == 404


def test_pages_are_behind_the_gate(client, town):
    assert client.get("/w/ville/graph/spof/").status_code == 302
    assert client.get("/w/ville/graph/object/asset/hv1/").status_code == 302


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_the_workspace(client, django_user_model):
    from mue.core.models import Membership

    small, big = load(scaled(2)), load(scaled(8))
    user = django_user_model.objects.create_user("u", password="pw")
    for ws in (small, big):
        Membership.objects.create(workspace=ws, user=user, role="viewer")
    client.force_login(user)
    for path in ("graph/", "graph/spof/", "graph/lineage/?category=d", "graph/object/asset/srv-1/",
                 "graph/object/service/svc-1/?summary=1", "graph/graph.svg?focus=app-2"):
        counts = [_count(client, f"/w/{ws.slug}/{path}") for ws in (small, big)]
        assert counts[0] == counts[1], (path, counts)
