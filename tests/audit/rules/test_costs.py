"""Each costs and sobriety rule fires on a minimal workspace and passes on a corrected one."""

import datetime as dt

import pytest

from mue.applications.models import Application
from mue.audit.engine import evaluate_rule
from mue.audit.rules import get_rule
from mue.audit.rules.base import AuditContext
from mue.usage.models import UsageObservation
from tests.audit.helpers import AS_OF, PEOPLE, check_fires, check_passes, evaluate, load

pytestmark = pytest.mark.django_db


def test_cst001_two_approved_apps_in_one_category():
    apps = [{"slug": "zoom", "name": "Zoom", "kind": "saas", "category": "video-conferencing"},
            {"slug": "visio", "name": "Visio", "kind": "saas", "category": "video-conferencing"}]
    check_fires("CST-001", {"applications": apps}, "zoom")
    check_fires("CST-001", {"applications": apps}, "visio")
    check_passes("CST-001", {"applications": [apps[0], {**apps[1], "status": "tolerated"}]})


def _seats_audit(seats: int, users: int):
    ws = load({"applications": [{"slug": "a", "name": "A", "kind": "saas", "seats": seats}]})
    app = Application.objects.get(workspace=ws, slug="a")
    UsageObservation.objects.create(workspace=ws, application=app, month=dt.date(2026, 2, 1), active_users=users,
                                    source="sso")
    result, findings = evaluate_rule(get_rule("CST-002"), AuditContext(workspace=ws, as_of=AS_OF))
    return result, findings


def test_cst002_seats_above_120_percent_of_active_users():
    result, findings = _seats_audit(seats=50, users=40)  # 125%
    assert [f.object_slug for f in findings] == ["a"]
    assert findings[0].evidence == {"seats": 50, "active_users": 40}
    result, findings = _seats_audit(seats=48, users=40)  # exactly 120%
    assert result.scope == 1 and not findings


def test_cst002_inactive_without_observations():
    result, _ = evaluate("CST-002", {"applications": [{"slug": "a", "name": "A", "kind": "saas", "seats": 5}]})
    assert result.status == "inactive"


def test_cst003_cost_line_without_owner():
    line = {"slug": "c", "name": "C", "amount": 100, "year": 2026, "kind": "licence"}
    check_fires("CST-003", {"costs": [line]}, "c")
    check_passes("CST-003", {"people": PEOPLE, "costs": [{**line, "owner": "alice"}]})


def test_cst004_cost_line_unattached():
    line = {"slug": "c", "name": "C", "amount": 100, "year": 2026, "kind": "licence"}
    check_fires("CST-004", {"costs": [line]}, "c")
    check_passes("CST-004", {"applications": [{"slug": "a", "name": "A", "kind": "saas"}],
                             "costs": [{**line, "application": "a"}]})
    check_passes("CST-004", {"units": [{"slug": "it", "name": "IT"}], "costs": [{**line, "unit": "it"}]})


def test_cst005_retired_application_still_costing():
    apps = [{"slug": "a", "name": "A", "kind": "saas", "status": "retired"}]
    line = {"slug": "c", "name": "C", "amount": 100, "year": 2026, "kind": "subscription", "application": "a"}
    check_fires("CST-005", {"applications": apps, "costs": [line]}, "a")
    check_passes("CST-005", {"applications": apps, "costs": [{**line, "year": 2025}]})


def test_cst006_current_contract_without_amount():
    contract = {"slug": "c", "name": "C", "end": "2027-01-01"}
    check_fires("CST-006", {"contracts": [contract]}, "c")
    check_passes("CST-006", {"contracts": [{**contract, "annual_amount": 1200}]})


def test_cst007_seats_above_users_of_its_services():
    apps = [{"slug": "m365", "name": "M365", "kind": "saas", "seats": 250}]
    services = [{"slug": "mail", "name": "Mail", "users_count": 140, "applications": ["m365"]},
                {"slug": "office", "name": "Office", "users_count": 140, "applications": ["m365"]}]
    check_fires("CST-007", {"applications": apps, "services": services}, "m365")  # max 140, not the sum 280
    check_passes("CST-007", {"applications": [{**apps[0], "seats": 160}], "services": services})
