"""The report pages: through the permission gate, the whole review in the browser's requests, the
published files served byte for byte, interests declared, the handover archive downloaded."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mue.core.models import Membership
from mue.reports.models import Action, Interest, Report
from mue.vendors.models import ExternalParty


@pytest.fixture
def people(valmont, django_user_model):
    def member(name: str, role: str):
        user = django_user_model.objects.create_user(name, password="pw-123456789", first_name=name.title())
        Membership.objects.create(workspace=valmont, user=user, role=role)
        client = Client()
        client.force_login(user)
        return client

    return {"author": member("claire", "auditor"), "reviewer": member("paul", "auditor"),
            "viewer": member("victor", "viewer"), "owner": member("odile", "owner")}


def test_review_to_publication_in_the_browser(valmont, people):
    author, reviewer, viewer = people["author"], people["reviewer"], people["viewer"]
    assert author.get("/w/valmont/reports/").status_code == 200
    response = author.post("/w/valmont/reports/new/")
    report = Report.objects.get(workspace=valmont)
    assert response.status_code == 302 and response["Location"].endswith(f"/reports/{report.pk}/")
    page = author.get(f"/w/valmont/reports/{report.pk}/")
    assert page.status_code == 200 and 'name="step" value="submit"' in page.content.decode()
    assert viewer.get(f"/w/valmont/reports/{report.pk}/").status_code == 404  # drafts are the auditors'
    # The author edits the plan: owner and target date of the first action, the licence.
    action = Action.objects.filter(report=report).order_by("rule_id").first()
    data = {"title": "", "advisor": "Claire Martin", "language": "fr", "licence": "cc-by-4.0"}
    for a in Action.objects.filter(report=report):
        data.update({f"a{a.pk}-effort": a.effort, f"a{a.pk}-owner": a.owner, f"a{a.pk}-target_date": "",
                     f"a{a.pk}-position": a.position, f"a{a.pk}-note": ""})
    data.update({f"a{action.pk}-owner": "DGS", f"a{action.pk}-target_date": "2027-03-31"})
    assert author.post(f"/w/valmont/reports/{report.pk}/save/", data).status_code == 302
    action.refresh_from_db()
    report.refresh_from_db()
    assert (action.owner, str(action.target_date), report.licence) == ("DGS", "2027-03-31", "cc-by-4.0")
    step = f"/w/valmont/reports/{report.pk}/step/"
    author.post(step, {"step": "submit"})
    author.post(step, {"step": "review", "verdict": "approved"})  # refused: the author
    report.refresh_from_db()
    assert report.status == "review" and not report.reviewer_name
    reviewer.post(step, {"step": "review", "verdict": "comment", "section": "summary", "body": "Clair."})
    reviewer.post(step, {"step": "review", "verdict": "approved", "body": "Bon pour publication"})
    author.post(step, {"step": "publish"})
    report.refresh_from_db()
    assert (report.status, report.version, report.reviewer_name) == ("published", 1, "Paul")
    first = viewer.get(f"/w/valmont/reports/{report.pk}/docx/")
    assert first.status_code == 200 and first["Content-Disposition"].endswith('valmont-v1.docx"')
    # Edits to the register after publication change nothing in what is served.
    from mue.services.models import Service

    Service.objects.filter(workspace=valmont).update(name="Renommé")
    ExternalParty.objects.filter(workspace=valmont).update(name="Autre")
    assert viewer.get(f"/w/valmont/reports/{report.pk}/docx/").content == first.content
    assert bytes(report.files.get(format="docx").content) == first.content


def test_pages_go_through_the_gate(valmont, people, client, django_user_model):
    stranger = django_user_model.objects.create_user("eve", password="pw-123456789")
    client.force_login(stranger)
    for url in ("/w/valmont/reports/", "/w/valmont/reports/interests/", "/w/valmont/reports/handover.zip"):
        assert client.get(url).status_code == 404
    assert Client().get("/w/valmont/reports/").status_code == 302  # to the sign-in page
    assert people["viewer"].post("/w/valmont/reports/new/").status_code == 404
    assert people["author"].get("/w/valmont/reports/handover.zip").status_code == 404  # admin only
    archive = people["owner"].get("/w/valmont/reports/handover.zip")
    assert archive.status_code == 200 and archive["Content-Type"] == "application/zip"
    import zipfile

    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(archive.content)).namelist()


def test_interests_declared_from_the_page(valmont, people):
    party = ExternalParty.objects.get(workspace=valmont, slug="microsoft")
    response = people["author"].post("/w/valmont/reports/interests/", {
        "advisor": "Claire Martin", "party": party.pk, "nature": "reseller", "amount": "1200", "percentage": "",
        "start": "2026-01-01", "end": "", "note": "Revendeur agréé"})
    assert response.status_code == 302
    assert Interest.objects.get(workspace=valmont).party == party
    page = people["viewer"].get("/w/valmont/reports/interests/").content.decode()
    assert "Claire Martin" in page and "Revendeur agréé" in page
    assert people["viewer"].post("/w/valmont/reports/interests/", {"advisor": "x"}).status_code == 404


def test_report_list_queries_do_not_grow(valmont, people):
    from mue.audit.engine import run_audit
    from mue.reports.services import current_draft

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert people["author"].get("/w/valmont/reports/").status_code == 200
        return len(ctx.captured_queries)

    run_audit(valmont, store=True)
    current_draft(valmont)
    count()  # the first request of a session warms caches (content types, the user's preferences)
    before = count()
    for _ in range(3):
        run_audit(valmont, store=True)
        current_draft(valmont)
    assert count() == before
