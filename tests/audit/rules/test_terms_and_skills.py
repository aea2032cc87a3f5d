"""Terms of use, content licences and skills rules."""

import pytest

from tests.audit.helpers import check_fires, check_passes, evaluate

pytestmark = pytest.mark.django_db

APP = {"slug": "a", "name": "A", "kind": "saas"}


def test_tou001_terms_never_or_long_ago_reviewed():
    terms = {"slug": "t", "name": "T", "application": "a"}
    check_fires("TOU-001", {"applications": [APP], "terms_of_use": [terms]}, "t")
    check_fires("TOU-001", {"applications": [APP], "terms_of_use": [{**terms, "last_reviewed": "2025-02-28"}]}, "t")
    check_passes("TOU-001", {"applications": [APP], "terms_of_use": [{**terms, "last_reviewed": "2025-03-01"}]})


def test_tou002_content_with_expired_or_unknown_licence():
    content = {"slug": "photo", "name": "Photo", "licence": "purchased", "expires": "2026-01-31"}
    check_fires("TOU-002", {"content_licences": [content]}, "photo")
    check_fires("TOU-002", {"content_licences": [{"slug": "photo", "name": "Photo"}]}, "photo")
    check_passes("TOU-002", {"content_licences": [{**content, "expires": "2027-01-31"}]})
    check_passes("TOU-002", {"content_licences": [{"slug": "photo", "name": "Photo", "licence": "CC-BY-4.0"}]})


def test_tou003_saas_without_terms():
    check_fires("TOU-003", {"applications": [APP]}, "a")
    check_passes("TOU-003", {"applications": [APP], "terms_of_use": [{"slug": "t", "name": "T", "application": "a"}]})


def test_tou004_content_licence_expiring_soon():
    content = {"slug": "font", "name": "Font", "licence": "purchased", "expires": "2026-04-15"}
    check_fires("TOU-004", {"content_licences": [content]}, "font")
    check_passes("TOU-004", {"content_licences": [{**content, "expires": "2026-06-15"}]})


def test_tou005_content_without_holder():
    content = {"slug": "map", "name": "Map", "licence": "ODbL"}
    check_fires("TOU-005", {"content_licences": [content]}, "map")
    check_passes("TOU-005", {"content_licences": [{**content, "holder": "OpenStreetMap contributors"}]})


def test_skl001_inactive_until_skills_exist():
    result, failing = evaluate("SKL-001", {"services": [{"slug": "s", "name": "S", "criticality": 4}]})
    assert result.status == "inactive" and not failing
    assert "skills" in result.reason
