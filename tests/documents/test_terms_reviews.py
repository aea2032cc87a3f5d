"""Terms-of-use reviews in the register: recorded from the web form and the map, kept over time, checked."""

from __future__ import annotations

import pytest

from mue.audit.engine import evaluate_rule
from mue.audit.rules import get_rule
from mue.audit.rules.base import AuditContext
from mue.core.models import ChangeLogEntry, Workspace
from mue.core.registry import registry
from mue.documents.choices import LICENCE_CONDITIONS, LicenceKind, licence_kinds_with
from mue.documents.models import TermsReview
from mue.interchange.exporter import export_items
from mue.interchange.importer import import_document
from mue.interchange.problems import ImportFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def valmont(db) -> Workspace:
    from mue.demo import load_demo

    load_demo("valmont")
    return Workspace.objects.get(slug="valmont")


@pytest.fixture
def editor_client(client, valmont, django_user_model):
    from mue.core.models import Membership

    user = django_user_model.objects.create_user("editor", password="pw-123456789")
    Membership.objects.create(workspace=valmont, user=user, role="editor")
    client.force_login(user)
    return client


def test_a_new_version_is_reviewed_in_the_browser_and_the_finding_goes(editor_client, valmont):
    """Mailchimp's terms changed since their review (TOU-007); a new review of the new version closes it."""
    rule = get_rule("TOU-007")
    _result, before = evaluate_rule(rule, AuditContext(workspace=valmont, as_of=valmont.created.date()))
    assert {f.object_slug for f in before} == {"cgu-mailchimp"}
    response = editor_client.post("/w/valmont/terms_reviews/add/", {
        "name": "Relecture des conditions de Mailchimp (version 2026-09)", "terms": "cgu-mailchimp",
        "terms_version": "2026-09", "reviewer": "laure-besson", "reviewed_on": valmont.created.date().isoformat(),
        "checklist__data_location": "unacceptable", "checklist__data_location_note": "Toujours aux États-Unis.",
        "checklist__content_rights": "concern", "verdict": "unbalanced",
    })
    assert response.status_code == 302, response.context["form"].errors
    review = TermsReview.objects.get(workspace=valmont, terms_version="2026-09")
    assert review.data_location == "unacceptable" and review.content_rights == "concern"
    assert review.reviewer.slug == "laure-besson"
    assert TermsReview.objects.filter(workspace=valmont, terms__slug="cgu-mailchimp").count() == 2  # history kept
    assert ChangeLogEntry.objects.filter(object_type="terms_review", object_id=review.pk, source="web").exists()
    _result, after = evaluate_rule(rule, AuditContext(workspace=valmont, as_of=valmont.created.date()))
    assert not after
    page = editor_client.get("/w/valmont/terms_of_use/cgu-mailchimp/").content.decode()
    assert "Relecture des conditions de Mailchimp (version 2026-09)" in page


def test_a_review_without_date_or_with_an_unknown_assessment_is_refused_on_its_field(editor_client, valmont):
    response = editor_client.post("/w/valmont/terms_reviews/add/", {"name": "Sans date", "terms": "cgu-facebook"})
    assert response.status_code == 200
    assert "reviewed_on" in response.context["form"].errors
    response = editor_client.post("/w/valmont/terms_reviews/add/", {
        "name": "Mauvaise valeur", "terms": "cgu-facebook", "reviewed_on": "2026-01-01",
        "checklist__liability": "terrible"})
    assert response.status_code == 200
    assert "checklist__liability" in response.context["form"].errors
    assert not TermsReview.objects.filter(workspace=valmont, name__in=("Sans date", "Mauvaise valeur")).exists()


def test_map_import_names_the_item_and_field_of_a_bad_review():
    document = {"workspace": {"slug": "bad", "name": "Bad"},
                "terms_of_use": [{"slug": "t", "name": "T"}],
                "terms_reviews": [{"slug": "r", "name": "R", "terms": "t", "reviewed_on": "2026-01-01",
                                   "verdict": "fine", "checklist": {"termination": "ok"}},
                                  {"slug": "r2", "name": "R2", "terms": "missing", "reviewed_on": "2026-01-01"}]}
    with pytest.raises(ImportFailed) as raised:
        import_document(document)
    problems = {(p.field, p.message) for p in raised.value.problems}
    assert any(field and "verdict" in field for field, _m in problems), problems
    assert any("missing" in message for _f, message in problems), problems
    assert not Workspace.objects.filter(slug="bad").exists()  # all or nothing


def test_a_review_round_trips_through_the_map_with_its_checklist():
    import_document({"workspace": {"slug": "rt", "name": "RT"},
                     "terms_of_use": [{"slug": "t", "name": "T", "version": "3", "version_date": "2026-01-01"}],
                     "terms_reviews": [{"slug": "r", "name": "R", "terms": "t", "terms_version": "3",
                                        "reviewed_on": "2026-01-05", "verdict": "balanced",
                                        "checklist": {"reversibility": "ok", "reversibility_note": "CSV export"}}]})
    workspace = Workspace.objects.get(slug="rt")
    [item] = export_items(registry["terms_reviews"], TermsReview.objects.filter(workspace=workspace))
    assert item["terms"] == "t" and item["verdict"] == "balanced"
    assert item["checklist"]["reversibility"] == "ok" and item["checklist"]["reversibility_note"] == "CSV export"


def test_licence_conditions_of_each_family():
    assert set(LICENCE_CONDITIONS) == set(LicenceKind.values)
    assert LICENCE_CONDITIONS["cc-by-nc-nd"] == {"attribution": True, "share_alike": False, "non_commercial": True,
                                                 "no_derivatives": True}
    assert LICENCE_CONDITIONS["etalab-2.0"] == {"attribution": True, "share_alike": False, "non_commercial": False,
                                                "no_derivatives": False}
    assert not any(LICENCE_CONDITIONS["cc0"].values()) and not any(LICENCE_CONDITIONS["proprietary"].values())
    assert set(licence_kinds_with("share_alike")) == {"cc-by-sa", "cc-by-nc-sa", "odbl"}


def test_iot_and_byod_details_are_shown_on_the_asset_page(editor_client, valmont):
    page = editor_client.get("/w/valmont/assets/tablettes-elus/").content.decode()
    assert "Projets de délibérations" in page  # data reached
    page = editor_client.get("/w/valmont/assets/capteurs-qualite-air/").content.decode()
    assert "AirSense Cloud" in page


def test_a_review_needs_its_terms_and_they_cannot_be_cleared():
    """The terms a review judges are required on create and refused as null: a clear problem, never a 500."""
    base = {"workspace": {"slug": "req", "name": "Req"}, "terms_of_use": [{"slug": "t", "name": "T"}]}
    with pytest.raises(ImportFailed) as raised:
        import_document({**base, "terms_reviews": [{"slug": "r", "name": "R", "reviewed_on": "2026-01-01"}]})
    assert any("terms" in (p.message + str(p.field)) for p in raised.value.problems)
    import_document({**base, "terms_reviews": [{"slug": "r", "name": "R", "terms": "t", "reviewed_on": "2026-01-01"}]})
    with pytest.raises(ImportFailed) as raised:
        import_document({**base, "terms_reviews": [{"slug": "r", "name": "R", "terms": None}]})
    assert any(p.field and "terms" in p.field for p in raised.value.problems), raised.value.problems
    assert TermsReview.objects.get(workspace__slug="req", slug="r").terms.slug == "t"
