"""The skills pages: heat map and bus factors, the assessment form (self and manager), the tabs."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mue.core.models import ChangeLogEntry, Membership, Workspace
from mue.organization.models import Person
from mue.skills.models import Assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def valmont(db) -> Workspace:
    from mue.demo import load_demo

    load_demo("valmont")
    return Workspace.objects.get(slug="valmont")


def member(django_user_model, workspace, role: str, email: str = "", username: str = "u") -> object:
    user = django_user_model.objects.create_user(username, email, "pw-123456789")
    Membership.objects.create(workspace=workspace, user=user, role=role)
    return user


def test_heat_map_and_bus_factors(client, valmont, django_user_model):
    client.force_login(member(django_user_model, valmont, "viewer"))
    page = client.get("/w/valmont/skills/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-mue-chart="skills-heatmap"' in html and 'id="skills-heatmap"' in html
    assert "Médiathèque Jules-Verne" in html and "2.8" in html  # mean safety level of the media library
    bus = page.context["bus"]
    assert {row["service"].slug for row in bus if row["bus_factor"] == 1} == {"sauvegarde", "cantine-periscolaire"}
    backup = next(row for row in bus if row["service"].slug == "sauvegarde")
    assert backup["measured"] and [name for name, _url in backup["people"]] == ["Thomas Garnier"]
    gaps = page.context["gaps"]
    assert [(p.slug, r.competence, held) for p, r, held in gaps] == [("julien-moreau", "5.1", 4)]
    assert "<script>" not in html.replace('<script type="application/json"', "")  # no inline script (CSP)
    # A viewer assesses nobody else: no list of people, no form of another person.
    assert not page.context["may_manage"]
    assert client.get("/w/valmont/skills/assess/julien-moreau/").status_code == 403


def test_one_unit_s_people(client, valmont, django_user_model):
    client.force_login(member(django_user_model, valmont, "viewer"))
    page = client.get("/w/valmont/skills/?unit=dsi")
    assert [row["name"] for row in page.context["table"]] == ["Julien Moreau", "Thomas Garnier"]
    assert client.get("/w/valmont/skills/?unit=nowhere").status_code == 404


def test_a_person_assesses_their_own_levels(client, valmont, django_user_model):
    user = member(django_user_model, valmont, "viewer", email="Julien.Moreau@mairie-valmont.fr")
    client.force_login(user)
    page = client.get("/w/valmont/skills/")
    assert page.context["me"].slug == "julien-moreau"
    form = client.get("/w/valmont/skills/assess/julien-moreau/")
    assert form.status_code == 200 and form.context["as_self"]
    assert form.context["form"].initial["c5_1"] == 4
    logged = ChangeLogEntry.objects.filter(workspace=valmont).count()
    data = {"c5_1": "5", "c4_1": "3", "c2_1": "", "c3_4": "2"}  # 5.1 raised, 4.1 kept, 2.1 cleared, 3.4 new
    response = client.post("/w/valmont/skills/assess/julien-moreau/", data)
    assert response.status_code == 302
    levels = dict(Assessment.objects.filter(person__slug="julien-moreau").values_list("competence", "level"))
    assert levels == {"5.1": 5, "4.1": 3, "3.4": 2}
    raised = Assessment.objects.get(person__slug="julien-moreau", competence="5.1")
    assert raised.assessed_by == "self" and raised.assessor is None
    assert ChangeLogEntry.objects.filter(workspace=valmont).count() == logged + 3  # update, create, delete
    # Somebody else's form stays closed to a viewer.
    assert client.get("/w/valmont/skills/assess/thomas-garnier/").status_code == 403


def test_a_manager_assesses_a_person_and_bad_levels_are_refused(client, valmont, django_user_model):
    user = member(django_user_model, valmont, "editor", email="thomas.garnier@mairie-valmont.fr")
    client.force_login(user)
    assert len(client.get("/w/valmont/skills/").context["people"]) == Person.objects.filter(
        workspace=valmont, external=False).count()
    bad = client.post("/w/valmont/skills/assess/julien-moreau/", {"c5_1": "9"})
    assert bad.status_code == 200 and bad.context["form"].errors["c5_1"]
    assert Assessment.objects.get(person__slug="julien-moreau", competence="5.1").level == 4
    client.post("/w/valmont/skills/assess/julien-moreau/", {"c5_1": "6", "c4_1": "3", "c2_1": "5"})
    raised = Assessment.objects.get(person__slug="julien-moreau", competence="5.1")
    assert (raised.level, raised.assessed_by, raised.assessor.slug) == (6, "manager", "thomas-garnier")


def test_two_people_with_the_same_email_link_nobody(valmont, django_user_model):
    from mue.skills.people import person_of

    Person.objects.filter(workspace=valmont, slug="emilie-roux").update(email="claire.vasseur@mairie-valmont.fr")
    user = django_user_model.objects.create_user("c", "claire.vasseur@mairie-valmont.fr", "pw-123456789")
    assert person_of(user, valmont) is None


def test_tabs_of_a_service_and_a_person(client, valmont, django_user_model):
    client.force_login(member(django_user_model, valmont, "owner"))
    service = client.get("/w/valmont/services/sauvegarde/").content.decode()
    assert "Bus factor: 1" in service and "5.1 Solving technical problems" in service
    person = client.get("/w/valmont/people/thomas-garnier/").content.decode()
    assert "4.1 Protecting devices" in person


def test_pages_do_not_grow_with_the_data(client, valmont, django_user_model):
    """The heat map, the bus factors and the people list cost the same queries with twice the people."""
    from mue.interchange.importer import import_document

    client.force_login(member(django_user_model, valmont, "owner"))

    def count() -> int:
        client.get("/w/valmont/skills/")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/w/valmont/skills/").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    people = [{"slug": f"p{i}", "name": f"P {i}", "unit": "rh"} for i in range(30)]
    assessments = [{"person": f"p{i}", "competence": c, "level": 1 + i % 8, "assessed_on": "2026-01-01"}
                   for i in range(30) for c in ("1.1", "4.1", "5.1")]
    import_document({"people": people, "skill_assessments": assessments}, workspace="valmont")
    assert count() == before
