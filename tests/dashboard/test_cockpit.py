"""The advisor's cockpit and creating a client workspace from a starter template."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.dashboard.conftest import audit

pytestmark = pytest.mark.django_db


def test_cockpit_lists_every_workspace_with_its_figures(client, advisor, demos):
    from mue.audit.models import Finding

    first = audit(demos["valmont"])
    second = audit(demos["valmont"])
    client.force_login(advisor)
    response = client.get("/?sort=-score")
    assert response.context["panels"]
    lines = {line.slug: line for line in _lines(response)}
    valmont = lines["valmont"]
    assert valmont.score == second.score and valmont.change == round(second.score - first.score, 1)
    serious = Finding.objects.filter(run=second, status="open", severity__in=["high", "critical"]).count()
    assert valmont.serious == serious and serious > 0
    assert lines["atelier"].score is None and lines["atelier"].last_activity is not None
    html = response.content.decode()
    assert "Commune de Valmont" in html and 'aria-sort="descending"' in html
    table = html[html.index('id="cockpit-title"'):]
    assert table.index("Commune de Valmont") < table.index(demos["atelier"].name)  # audited first, by score


def _lines(response):
    from django.utils import timezone

    from mue.dashboard.cockpit import lines

    return lines(response.wsgi_request.user, timezone.localdate())


def test_cockpit_sorts_with_empty_values_last():
    from mue.dashboard.cockpit import Line, sort_lines

    found = [Line("a", "A", "", "", score=3.0), Line("b", "B", "", ""), Line("c", "C", "", "", score=4.0)]
    assert [line.slug for line in sort_lines(found, "score")[0]] == ["a", "c", "b"]
    assert [line.slug for line in sort_lines(found, "-score")[0]] == ["c", "a", "b"]
    assert sort_lines(found, "nonsense")[1] == "name"


def test_cockpit_queries_do_not_grow_with_the_number_of_workspaces(client, django_user_model):
    from mue.core.models import Membership, Workspace
    from mue.interchange.importer import import_document

    user = django_user_model.objects.create_user("many", password="pw-123456789")
    client.force_login(user)
    counts = []
    for total in (2, 9):
        while Membership.objects.filter(user=user).count() < total:
            n = Membership.objects.filter(user=user).count()
            import_document({"workspace": {"slug": f"ws-{n}", "name": f"WS {n}"},
                             "services": [{"slug": "s", "name": "S", "criticality": 3}],
                             "contracts": [{"slug": "c", "name": "C", "end": "2099-01-01"}]})
            ws = Workspace.objects.get(slug=f"ws-{n}")
            audit(ws)
            audit(ws)
            Membership.objects.create(workspace=ws, user=user, role="auditor")
        client.get("/")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_create_a_workspace_from_the_commune_template(client, advisor, settings):
    from mue.accounts.models import Invitation
    from mue.core.models import Membership, Workspace
    from mue.organization.models import Unit
    from mue.services.models import Service

    client.force_login(advisor)
    assert client.get("/workspaces/new/").status_code == 200
    response = client.post("/workspaces/new/", {"template": "commune", "language": "fr", "name": "Commune de Bourg",
                                                "slug": "", "population": "2300", "contact_email": "maire@bourg.fr"})
    assert response.status_code == 302 and response["Location"] == "/w/commune-de-bourg/"
    ws = Workspace.objects.get(slug="commune-de-bourg")
    assert (ws.kind, ws.language, ws.population) == ("commune", "fr", 2300)
    assert Service.objects.filter(workspace=ws, slug="etat-civil", criticality=4).exists()
    assert Unit.objects.filter(workspace=ws, slug="population", parent__slug="dgs").exists()
    membership = Membership.objects.get(workspace=ws, user=advisor)
    assert membership.role == "auditor" and membership.can_edit
    invitation = Invitation.objects.get(workspace=ws)
    assert (invitation.email, invitation.role) == ("maire@bourg.fr", "owner")
    assert len(mail.outbox) == 1 and "/accounts/invitation/" in mail.outbox[0].body
    again = client.post("/workspaces/new/", {"template": "sme", "language": "en", "name": "Commune de Bourg",
                                             "contact_email": "x@example.org"})
    assert again.status_code == 400 and "already has this short name" in again.content.decode()


@pytest.mark.parametrize("kind", ["commune", "intercommunality", "sme", "association"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_starter_imports_in_both_languages(kind, language, django_user_model, db):
    from mue.dashboard.starters import create_from_starter
    from mue.services.models import Process, Service

    user = django_user_model.objects.create_user("a", password="pw-123456789")
    created = create_from_starter(kind=kind, language=language, slug=f"{kind}-{language}", name="X", advisor=user,
                                  contact_email="")
    assert created.invitation is None and created.workspace.kind == kind
    assert Service.objects.filter(workspace=created.workspace).count() >= 7
    assert Process.objects.filter(workspace=created.workspace).count() >= 4
    assert set(created.report.created) >= {"units", "services", "processes", "data_categories"}


def test_only_advisors_and_administrators_create_workspaces(client, django_user_model, demos):
    from mue.core.models import Membership

    viewer = django_user_model.objects.create_user("v", password="pw-123456789")
    Membership.objects.create(workspace=demos["valmont"], user=viewer, role="viewer")
    client.force_login(viewer)
    assert client.get("/workspaces/new/").status_code == 403
    assert client.post("/workspaces/new/", {"template": "sme", "language": "en", "name": "Sneaky",
                                            "contact_email": "a@b.fr"}).status_code == 403
    client.logout()
    assert client.get("/workspaces/new/").status_code == 302
