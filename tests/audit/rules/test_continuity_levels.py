"""The feasibility rules of promised service levels (CON-010 to CON-015): each fires on a minimal
workspace, names the weakest dependency and its path in its evidence, and passes once corrected."""

import pytest

from mue.audit.engine import evaluate_rule
from mue.audit.rules import get_rule
from mue.audit.rules.base import AuditContext
from tests.audit.helpers import AS_OF, check_fires, check_passes, evaluate, load, with_

pytestmark = pytest.mark.django_db


def _doc(level: dict, **extra) -> dict:
    doc = {
        "parties": [{"slug": "ed", "name": "Éditeur"}],
        "assets": [{"slug": "srv", "name": "Serveur", "kind": "server"}],
        "applications": [{"slug": "app", "name": "App", "kind": "on-premises", "runs_on": ["srv"]},
                         {"slug": "saas", "name": "SaaS", "kind": "saas", "vendor": "ed"}],
        "services": [{"slug": "svc", "name": "Svc", "rto_hours": 8, "applications": ["app", "saas"]}],
        "contracts": [{"slug": "c", "name": "C", "vendor": "ed", "applications": ["saas"]}],
        "service_levels": [{"slug": "sla", "name": "SLA", "service": "svc", **level}],
    }
    doc.update(extra)
    return doc


def _evidence(rule_id: str, doc: dict) -> dict:
    ws = load(doc)
    _result, findings = evaluate_rule(get_rule(rule_id), AuditContext(workspace=ws, as_of=AS_OF))
    assert len(findings) == 1, findings
    return findings[0].evidence


def test_con010_availability_on_a_single_machine():
    doc = _doc({"availability_target": 99.9})
    check_fires("CON-010", doc, "sla")
    evidence = _evidence("CON-010", doc)
    assert evidence["weakest"] == "asset:srv"
    assert evidence["path"] == ["service:svc", "application:app", "asset:srv"]
    assert evidence["service"] == "svc" and "agreement_id" not in evidence
    result, failing = evaluate("CON-010", _doc({"availability_target": 99.5}))
    assert result.scope == 0 and not failing  # what one machine can deliver is not judged
    redundant = with_(doc, assets=[{"slug": "srv", "name": "Serveur", "kind": "server", "tags": ["cluster"]}])
    check_passes("CON-010", redundant)


def test_con010_a_retired_service_is_not_judged():
    doc = _doc({"availability_target": 99.9})
    doc["services"][0]["lifecycle"] = "retire"
    ws = load(doc)
    result, findings = evaluate_rule(get_rule("CON-010"), AuditContext(workspace=ws, as_of=AS_OF))
    assert result.scope == 0 and not findings


def test_con011_availability_above_the_provider():
    contract = {"slug": "c", "name": "C", "vendor": "ed", "applications": ["saas"], "availability_percent": 99.0}
    doc = _doc({"availability_target": 99.5}, contracts=[contract])
    check_fires("CON-011", doc, "sla")
    assert _evidence("CON-011", doc)["path"] == ["service:svc", "application:saas", "contract:c"]
    check_passes("CON-011", _doc({"availability_target": 99.0}, contracts=[contract]))


def test_con012_rto_shorter_than_the_provider_restores():
    contract = {"slug": "c", "name": "C", "vendor": "ed", "services": ["svc"], "rto_hours": 24}
    doc = _doc({}, contracts=[contract])  # the service's RTO (8 h) is the promise
    check_fires("CON-012", doc, "sla")
    assert _evidence("CON-012", doc)["stated"] == "24 h"
    check_passes("CON-012", _doc({"rto_hours": 24}, contracts=[contract]))


def test_con013_rto_shorter_than_the_restore_test():
    tests = [{"slug": "t", "name": "T", "asset": "srv", "restore_hours": 10, "tested_on": "2026-01-10"}]
    doc = _doc({}, restore_tests=tests)
    check_fires("CON-013", doc, "sla")
    assert _evidence("CON-013", doc)["weakest"] == "restore_test:t"
    check_passes("CON-013", _doc({}, restore_tests=[{**tests[0], "restore_hours": 6}]))


def test_con014_support_hours_wider_than_the_team():
    team = [{"slug": "team", "name": "Team", "support_hours": "office"}]
    doc = _doc({"support_hours": "24x7", "support_team": "team"}, support_teams=team)
    check_fires("CON-014", doc, "sla")
    assert _evidence("CON-014", doc)["weakest"] == "support_team:team"
    check_passes("CON-014", _doc({"support_hours": "office", "support_team": "team"}, support_teams=team))


def test_con014_support_hours_wider_than_the_provider_support():
    contract = {"slug": "c", "name": "C", "vendor": "ed", "applications": ["saas"], "support_hours": "extended"}
    check_fires("CON-014", _doc({"support_hours": "extended-saturday"}, contracts=[contract]), "sla")
    check_passes("CON-014", _doc({"support_hours": "extended"}, contracts=[contract]))


def test_con015_level_on_a_vendor_without_contract():
    doc = _doc({"availability_target": 95}, contracts=[])
    check_fires("CON-015", doc, "sla")
    assert _evidence("CON-015", doc)["path"] == ["service:svc", "application:saas", "party:ed"]
    check_passes("CON-015", _doc({"availability_target": 95}))
