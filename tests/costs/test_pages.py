"""The cost of ownership page and the renewal calendar page, as members see them."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.costs.test_tco import _grow

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, django_user_model, town):
    from mue.core.models import Membership

    def sign_in(role: str = "viewer"):
        user = django_user_model.objects.create_user(f"u-{role}", password="pw")
        Membership.objects.create(workspace=town, user=user, role=role)
        client.force_login(user)
        return client

    return sign_in


def chart(html: str, element_id: str) -> dict:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    assert found, element_id
    return json.loads(found.group(1))


def test_costs_page_shows_the_charts_tables_and_cost_per_inhabitant(member, observed):
    client = member()
    response = client.get("/w/bourg/cost-of-ownership/?year=2026")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/w/bourg/cost-of-ownership/"' in html  # in the navigation
    units = chart(html, "chart-units")
    assert units["labels"] == ["Enfance", "Informatique", "DGS"] and units["values"] == [8200, 7000, 6000]
    assert chart(html, "chart-services")["labels"][0] == "Postes de travail"
    assert chart(html, "chart-trend") == {"labels": ["2025", "2026"], "values": [1000, 22000], "label": "Total"}
    assert 'id="costs-per-inhabitant">11.00 EUR' in html
    assert 'data-mue-chart-source="chart-units"' in html and "echarts.min.js" in html
    assert "<script>" not in html  # no inline script (CSP): the figures are JSON, drawn by charts.js
    assert 'href="/w/bourg/services/cantine/"' in html and "Not attributed to a service" in html
    assert "Video conferencing" in html and "Visio A" in html  # duplicated tools
    assert ">3,600<" in html  # licence waste of the suite


def test_costs_page_of_an_empty_workspace_says_what_to_do(client, django_user_model, db):
    from mue.core.models import Membership, Workspace

    ws = Workspace.objects.create(slug="vide", name="Vide")
    user = django_user_model.objects.create_user("v", password="pw")
    Membership.objects.create(workspace=ws, user=user, role="viewer")
    client.force_login(user)
    html = client.get("/w/vide/cost-of-ownership/").content.decode()
    assert "No cost line yet" in html and 'href="/w/vide/costs/"' in html


def test_costs_page_queries_do_not_grow_with_the_lines(member, town):
    client = member()
    client.get("/w/bourg/cost-of-ownership/")  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get("/w/bourg/cost-of-ownership/?year=2026").status_code == 200
    _grow(30)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/w/bourg/cost-of-ownership/?year=2026")
    assert len(response.context["report"].rows["service"]) > 30
    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_bad_year_falls_back_to_the_default(member, town):
    response = member().get("/w/bourg/cost-of-ownership/?year=abc")
    assert response.status_code == 200 and response.context["report"].year in (2025, 2026)


def test_pages_are_404_outside_ones_workspaces(client, django_user_model, town):
    client.force_login(django_user_model.objects.create_user("stranger", password="pw"))
    assert client.get("/w/bourg/cost-of-ownership/").status_code == 404
    assert client.get("/w/bourg/renewals/").status_code == 404
