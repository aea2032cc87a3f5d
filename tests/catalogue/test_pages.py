"""The catalogue's pages: the catalogue, a unit's contract (draft, versions, downloads), the service's
levels tab and its feasibility fragment; permissions and constant query counts."""

from __future__ import annotations

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mue.catalogue.models import ServiceContract
from tests.catalogue.conftest import COMMUNE, load

pytestmark = pytest.mark.django_db


def member(client, django_user_model, workspace, role: str, name: str = "u"):
    from mue.core.models import Membership

    user = django_user_model.objects.create_user(name, password="pw")
    Membership.objects.create(workspace=workspace, user=user, role=role)
    client.force_login(user)
    return client


@pytest.fixture
def viewer(client, django_user_model, commune):
    return member(client, django_user_model, commune, "viewer")


@pytest.fixture
def editor(client, django_user_model, commune):
    return member(client, django_user_model, commune, "editor", "e")


def test_catalogue_lists_services_with_levels_and_breaches(viewer):
    response = viewer.get("/w/bourg/catalogue/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/w/bourg/services/cantine/"' in html and 'href="/w/bourg/service-levels/sla-cantine/"' in html
    assert "99.9 %" in html and "30 min / 4 h" in html
    assert "Contrat éditeur restores within 48 h" in html
    assert "Archivé" not in html  # the retired service is not listed
    assert 'href="/w/bourg/catalogue/units/enfance/contract/"' in html
    assert 'href="/w/bourg/catalogue/"' in html  # in the navigation


def test_catalogue_costs_a_constant_number_of_queries(client, django_user_model, commune):
    doc = copy.deepcopy(COMMUNE)
    doc["workspace"] = {"slug": "grand", "name": "Grand"}
    for i in range(20):
        doc["services"].append({"slug": f"s{i}", "name": f"S{i}", "applications": ["portail"], "units": ["enfance"]})
        doc["service_levels"].append({"slug": f"l{i}", "name": f"L{i}", "service": f"s{i}", "support_hours": "24x7",
                                      "support_team": "support", "it_contact": "ana"})
        doc["service_level_targets"].append({"slug": f"t{i}", "name": f"T{i}", "agreement": f"l{i}",
                                             "priority": "P1", "response_minutes": 15})
    grand = load(doc)
    c = member(client, django_user_model, commune, "viewer")
    from mue.core.models import Membership

    Membership.objects.create(workspace=grand, user=django_user_model.objects.get(username="u"), role="viewer")
    c.get("/w/bourg/catalogue/")  # warm the navigation cache
    with CaptureQueriesContext(connection) as small:
        assert c.get("/w/bourg/catalogue/").status_code == 200
    c.get("/w/grand/catalogue/")
    with CaptureQueriesContext(connection) as large:
        assert c.get("/w/grand/catalogue/").status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_contract_page_shows_the_draft_and_downloads_it(viewer):
    html = viewer.get("/w/bourg/catalogue/units/enfance/contract/").content.decode()
    assert "Levels that cannot be kept yet" in html and "Cantine" in html
    assert "Record as a new version" not in html  # a viewer may not record
    docx = viewer.get("/w/bourg/catalogue/units/enfance/contract/?format=docx&language=en")
    assert docx.status_code == 200 and docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert viewer.get("/w/bourg/catalogue/units/enfance/contract/?format=pdf").status_code == 404
    assert viewer.get("/w/bourg/catalogue/units/nope/contract/").status_code == 404


def test_recording_needs_change_and_keeps_a_version(viewer, editor, commune):
    assert editor.post("/w/bourg/catalogue/units/enfance/contract/record/",
                       {"language": "en", "review_date": "2027-06-30"}).status_code == 302
    record = ServiceContract.objects.get(workspace=commune)
    assert record.version == 1 and str(record.review_date) == "2027-06-30"
    page = editor.get("/w/bourg/catalogue/units/enfance/contract/").content.decode()
    assert 'href="/w/bourg/catalogue/contracts/enfance-v1/docx/"' in page
    assert editor.get("/w/bourg/catalogue/contracts/enfance-v1/docx/").status_code == 200
    bad = editor.post("/w/bourg/catalogue/units/enfance/contract/record/", {"review_date": "soon"}, follow=True)
    assert "not a date" in bad.content.decode() and ServiceContract.objects.count() == 1


def test_a_viewer_cannot_record(client, django_user_model, commune):
    c = member(client, django_user_model, commune, "viewer", "v2")
    assert c.post("/w/bourg/catalogue/units/enfance/contract/record/").status_code == 404
    assert not ServiceContract.objects.exists()


def test_service_page_has_the_levels_tab_and_its_feasibility(viewer):
    html = viewer.get("/w/bourg/services/cantine/").content.decode()
    assert "Service levels" in html and 'hx-get="/w/bourg/catalogue/services/cantine/feasibility/"' in html
    fragment = viewer.get("/w/bourg/catalogue/services/cantine/feasibility/").content.decode()
    assert "Provider restores more slowly than the RTO" in fragment
    assert "Cantine → Portail → Contrat éditeur" in fragment
    ok = viewer.get("/w/bourg/catalogue/services/etat-civil/feasibility/").content.decode()
    assert "Every promised level can be kept" in ok
    assert viewer.get("/w/bourg/catalogue/services/nope/feasibility/").status_code == 404


def test_another_workspace_is_not_found(client, django_user_model, commune):
    from mue.core.models import Workspace

    other = Workspace.objects.create(slug="autre", name="Autre")
    c = member(client, django_user_model, other, "owner", "o")
    assert c.get("/w/bourg/catalogue/").status_code == 404
    assert c.get("/w/bourg/catalogue/units/enfance/contract/").status_code == 404
