"""Each contracts rule fires on a minimal workspace and passes on a corrected one."""

import pytest

from tests.audit.helpers import check_fires, check_passes, with_

pytestmark = pytest.mark.django_db


def test_ctr001_notice_deadline_within_60_days():
    # as_of 2026-03-01; end 2026-06-30, notice 90 days: deadline 2026-04-01, 31 days away.
    contract = {"slug": "c", "name": "C", "tacit_renewal": True, "end": "2026-06-30", "notice_days": 90}
    check_fires("CTR-001", {"contracts": [contract]}, "c")
    # Deadline 2026-09-02: far away.
    check_passes("CTR-001", {"contracts": [{**contract, "end": "2026-12-01"}]})
    # Several notice periods in one workspace, one of them without notice (deadline = end).
    mixed = [{**contract, "slug": "c2", "notice_days": 30, "end": "2026-04-15"},
             {**contract, "slug": "c3", "notice_days": None, "end": "2026-04-20"},
             {**contract, "slug": "c4", "notice_days": 30, "end": "2026-12-31"}]
    from tests.audit.helpers import evaluate

    result, failing = evaluate("CTR-001", {"contracts": mixed})
    assert failing == {"c2", "c3"} and result.scope == 3


def test_ctr001_evidence_has_deadline():
    from mue.audit.engine import run_audit
    from tests.audit.helpers import AS_OF, load

    ws = load({"contracts": [{"slug": "c", "name": "C", "tacit_renewal": True, "end": "2026-06-30",
                              "notice_days": 90}]})
    finding = run_audit(ws, AS_OF, rule_ids=["CTR-001"], store=False).findings[0]
    assert finding.evidence["notice_deadline"] == "2026-04-01"


def test_ctr002_critical_saas_without_reversibility():
    doc = {"applications": [{"slug": "a", "name": "A", "kind": "saas"}],
           "services": [{"slug": "s", "name": "S", "criticality": 4, "applications": ["a"]}],
           "contracts": [{"slug": "c", "name": "C", "applications": ["a"]}]}
    check_fires("CTR-002", doc, "a")
    check_passes("CTR-002", with_(doc, contracts=[{"slug": "c", "name": "C", "applications": ["a"],
                                                   "reversibility_clause": True}]))


def test_ctr003_contract_ended_while_application_in_use():
    doc = {"applications": [{"slug": "a", "name": "A", "kind": "saas"}],
           "contracts": [{"slug": "old", "name": "Old", "end": "2025-12-31", "applications": ["a"]}]}
    check_fires("CTR-003", doc, "old")
    renewed = with_(doc, contracts=[doc["contracts"][0],
                                    {"slug": "new", "name": "New", "start": "2026-01-01", "applications": ["a"]}])
    check_passes("CTR-003", renewed)


def test_ctr004_approved_saas_without_contract():
    app = {"slug": "a", "name": "A", "kind": "saas", "licence_model": "subscription"}
    check_fires("CTR-004", {"applications": [app]}, "a")
    check_passes("CTR-004", {"applications": [app], "contracts": [{"slug": "c", "name": "C", "applications": ["a"]}]})


def test_ctr005_tacit_renewal_without_notice_period():
    contract = {"slug": "c", "name": "C", "tacit_renewal": True, "end": "2026-12-31"}
    check_fires("CTR-005", {"contracts": [contract]}, "c")
    check_passes("CTR-005", {"contracts": [{**contract, "notice_days": 90}]})
