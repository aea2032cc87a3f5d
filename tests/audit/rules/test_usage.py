"""Each usage and shadow-IT rule fires on a minimal workspace and passes on a corrected one."""

import datetime as dt

import pytest

from mue.applications.models import Application
from mue.usage.models import UsageObservation
from tests.audit.helpers import AS_OF, check_fires, check_passes, evaluate, load

pytestmark = pytest.mark.django_db

DATA = [{"slug": "secret", "name": "Secret", "classification": "confidential"},
        {"slug": "pub", "name": "Public", "classification": "public"}]


def test_use001_shadow_app_with_confidential_data():
    app = {"slug": "s", "name": "S", "kind": "saas", "status": "shadow", "data": ["secret"]}
    check_fires("USE-001", {"data_categories": DATA, "applications": [app]}, "s")
    check_passes("USE-001", {"data_categories": DATA, "applications": [{**app, "data": ["pub"]}]})


def _observe(ws, slug: str, month: dt.date, users: int) -> None:
    app = Application.objects.get(workspace=ws, slug=slug)
    UsageObservation.objects.create(workspace=ws, application=app, month=month, active_users=users, source="squid")


def test_use002_inactive_without_observations():
    result, failing = evaluate("USE-002", {"applications": [{"slug": "a", "name": "A", "kind": "saas"}]})
    assert result.status == "inactive" and "usage observations" in result.reason and not failing


def _usage_audit(rule_id: str, doc: dict, observations: list[tuple[str, dt.date, int]]):
    from mue.audit.engine import evaluate_rule
    from mue.audit.rules import get_rule
    from mue.audit.rules.base import AuditContext

    ws = load(doc)
    for slug, month, users in observations:
        _observe(ws, slug, month, users)
    result, findings = evaluate_rule(get_rule(rule_id), AuditContext(workspace=ws, as_of=AS_OF))
    return result, {f.object_slug for f in findings}


def test_use002_application_not_used_for_90_days():
    doc = {"applications": [{"slug": "old", "name": "Old", "kind": "saas"},
                            {"slug": "live", "name": "Live", "kind": "saas"}]}
    result, failing = _usage_audit("USE-002", doc, [("old", dt.date(2025, 10, 1), 3),
                                                    ("live", dt.date(2026, 2, 1), 5)])
    assert result.status == "evaluated" and failing == {"old"} and result.scope == 2


def test_use003_shadow_application():
    check_fires("USE-003", {"applications": [{"slug": "s", "name": "S", "kind": "saas", "status": "shadow"}]}, "s")
    check_passes("USE-003", {"applications": [{"slug": "s", "name": "S", "kind": "saas", "status": "tolerated"}]})


def test_use004_banned_application_in_use():
    doc = {"applications": [{"slug": "b", "name": "B", "kind": "saas", "status": "banned"}],
           "services": [{"slug": "svc", "name": "Svc", "applications": ["b"]}]}
    check_fires("USE-004", doc, "b")
    check_passes("USE-004", {"applications": doc["applications"]})
    result, failing = _usage_audit("USE-004", {"applications": doc["applications"]},
                                   [("b", dt.date(2026, 2, 1), 2)])
    assert failing == {"b"}


def test_use005_retired_application_in_service():
    doc = {"applications": [{"slug": "r", "name": "R", "kind": "saas", "status": "retired"}],
           "services": [{"slug": "svc", "name": "Svc", "applications": ["r"]}]}
    check_fires("USE-005", doc, "r")
    check_passes("USE-005", {"applications": doc["applications"],
                             "services": [{"slug": "svc", "name": "Svc", "lifecycle": "retire",
                                           "applications": ["r"]}]})


def test_use006_orphan_application():
    check_fires("USE-006", {"applications": [{"slug": "a", "name": "A", "kind": "saas"}]}, "a")
    check_passes("USE-006", {"applications": [{"slug": "a", "name": "A", "kind": "saas"},
                                              {"slug": "b", "name": "B", "kind": "saas", "depends_on": ["a"]}],
                             "services": [{"slug": "s", "name": "S", "applications": ["b"]}]})


def test_use001_shadow_app_with_personal_data():
    data = [{"slug": "fam", "name": "Families", "personal_data": "personal", "classification": "internal"}]
    app = {"slug": "drive", "name": "Drive", "kind": "saas", "status": "shadow", "data": ["fam"]}
    check_fires("USE-001", {"data_categories": data, "applications": [app]}, "drive")
