"""Rules on terms-of-use reviews and on the use made of third-party content (TOU-006 to TOU-008)."""

import pytest

from tests.audit.helpers import check_fires, check_passes, evaluate, with_

pytestmark = pytest.mark.django_db

APP = {"slug": "cloud", "name": "Cloud", "kind": "saas"}
TERMS = {"slug": "t", "name": "T", "application": "cloud", "version": "2026-01", "version_date": "2026-01-10"}
REVIEW = {"slug": "r1", "name": "Review 2026-01", "terms": "t", "terms_version": "2026-01", "terms_date": "2026-01-10",
          "reviewed_on": "2026-01-20", "verdict": "unbalanced",
          "checklist": {"liability": "unacceptable", "liability_note": "Liability capped at one month of fees."}}


def critical(criticality: int = 4) -> dict:
    return {"applications": [APP], "terms_of_use": [TERMS], "terms_reviews": [REVIEW],
            "services": [{"slug": "s", "name": "S", "criticality": criticality, "lifecycle": "run",
                          "applications": ["cloud"]}]}


def test_tou006_unbalanced_terms_under_a_critical_service():
    check_fires("TOU-006", critical(), "t")
    check_fires("TOU-006", with_(critical(), terms_reviews=[{**REVIEW, "verdict": "unacceptable"}]), "t")
    check_passes("TOU-006", with_(critical(), terms_reviews=[{**REVIEW, "verdict": "balanced"}]))


def test_tou006_judges_the_latest_concluded_review():
    renegotiated = {**REVIEW, "slug": "r2", "reviewed_on": "2026-02-10", "verdict": "balanced"}
    check_passes("TOU-006", with_(critical(), terms_reviews=[REVIEW, renegotiated]))
    in_progress = {**REVIEW, "slug": "r2", "reviewed_on": "2026-02-10", "verdict": ""}
    check_fires("TOU-006", with_(critical(), terms_reviews=[REVIEW, in_progress]), "t")


def test_tou006_ignores_services_that_are_not_critical():
    result, failing = evaluate("TOU-006", critical(criticality=2))
    assert result.scope == 0 and not failing


def test_tou006_terms_attached_to_the_critical_service_itself():
    doc = with_(critical(), terms_of_use=[{**TERMS, "application": None, "service": "s"}])
    check_fires("TOU-006", doc, "t")


def test_tou007_new_version_since_the_review():
    doc = with_(critical(), terms_of_use=[{**TERMS, "version": "2026-02"}])
    check_fires("TOU-007", doc, "t")
    # Same version string but a version date after the review: the text changed.
    check_fires("TOU-007", with_(critical(), terms_of_use=[{**TERMS, "version_date": "2026-02-01"}]), "t")
    check_passes("TOU-007", critical())
    new_review = {**REVIEW, "slug": "r2", "terms_version": "2026-02", "terms_date": "2026-02-01",
                  "reviewed_on": "2026-02-15"}
    check_passes("TOU-007", with_(doc, terms_of_use=[{**TERMS, "version": "2026-02", "version_date": "2026-02-01"}],
                                  terms_reviews=[REVIEW, new_review]))


def test_tou007_leaves_never_reviewed_terms_to_tou001():
    result, failing = evaluate("TOU-007", with_(critical(), terms_reviews=[]))
    assert result.scope == 0 and not failing


CONTENT = {"slug": "photo", "name": "Photo", "licence": "CC-BY-NC-4.0", "licence_kind": "cc-by-nc",
           "holder": "A. Author", "attribution_given": True}


@pytest.mark.parametrize(("licence_kind", "use"), [
    ("cc-by-nc", {"commercial_use": True}),
    ("cc-by-nc-sa", {"commercial_use": True}),
    ("cc-by-nd", {"modified": True}),
    ("cc-by-nc-nd", {"modified": True}),
    ("cc-by", {"attribution_given": False}),
    ("etalab-2.0", {"attribution_given": False}),
])
def test_tou008_use_forbidden_by_the_licence(licence_kind, use):
    check_fires("TOU-008", {"content_licences": [{**CONTENT, "licence_kind": licence_kind, **use}]}, "photo")


@pytest.mark.parametrize(("licence_kind", "use"), [
    ("cc-by-nc", {"commercial_use": False, "modified": True}),
    ("cc-by-sa", {"commercial_use": True, "modified": True}),
    ("cc0", {"commercial_use": True, "modified": True, "attribution_given": False}),
    ("proprietary", {"commercial_use": True, "modified": True, "attribution_given": False}),
    ("cc-by-nd", {"modified": None}),
])
def test_tou008_use_the_licence_allows(licence_kind, use):
    check_passes("TOU-008", {"content_licences": [{**CONTENT, "licence_kind": licence_kind, **use}]})


def test_tou008_evidence_names_the_broken_condition():
    from mue.audit.engine import evaluate_rule
    from mue.audit.rules import get_rule
    from mue.audit.rules.base import AuditContext
    from tests.audit.helpers import AS_OF, load

    workspace = load({"content_licences": [{**CONTENT, "commercial_use": True}]})
    _result, findings = evaluate_rule(get_rule("TOU-008"), AuditContext(workspace=workspace, as_of=AS_OF))
    assert findings[0].evidence["condition"] == "non-commercial"


def test_tou001_a_recorded_review_counts_as_the_last_review():
    terms = {"slug": "t", "name": "T", "application": "cloud", "last_reviewed": "2024-06-01"}
    review = {"slug": "r", "name": "R", "terms": "t", "reviewed_on": "2025-12-01"}
    check_fires("TOU-001", {"applications": [APP], "terms_of_use": [terms]}, "t")
    check_passes("TOU-001", {"applications": [APP], "terms_of_use": [terms], "terms_reviews": [review]})
    check_passes("TOU-001", {"applications": [APP], "terms_of_use": [{**terms, "last_reviewed": None}],
                             "terms_reviews": [review]})
    old = {**review, "reviewed_on": "2024-01-01"}
    check_fires("TOU-001", {"applications": [APP], "terms_of_use": [terms], "terms_reviews": [old]}, "t")


def test_tou003_a_privacy_notice_is_not_the_terms_of_a_saas():
    notice = {"slug": "n", "name": "N", "application": "cloud", "kind": "privacy-notice", "direction": "published"}
    check_fires("TOU-003", {"applications": [APP], "terms_of_use": [notice]}, "cloud")
