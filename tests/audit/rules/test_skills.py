"""Skills rules SKL-001 to SKL-004, on tiny workspaces with DigComp assessments and requirements."""

import pytest

from tests.audit.helpers import check_fires, check_passes, evaluate

pytestmark = pytest.mark.django_db

UNITS = [{"slug": "dsi", "name": "DSI", "is_it": True}, {"slug": "rh", "name": "RH"}]
PEOPLE = [{"slug": "alice", "name": "Alice", "unit": "dsi"}, {"slug": "bob", "name": "Bob", "unit": "dsi"},
          {"slug": "carol", "name": "Carol", "unit": "rh"}]
APPS = [{"slug": "app", "name": "App", "kind": "on-premises", "owner": "alice"}]
SERVICE = {"slug": "s", "name": "S", "criticality": 3, "it_owner": "alice", "backup_owner": "bob",
           "applications": ["app"]}
NEEDS = [{"service": "s", "competence": "5.1", "level": 5}, {"service": "s", "competence": "4.1", "level": 4}]


def assessed(person: str, **levels: int) -> list[dict]:
    """Assessment items: ``assessed("alice", c5_1=6)`` is Alice at level 6 in 5.1."""
    return [{"person": person, "competence": code[1:].replace("_", "."), "level": level,
             "assessed_on": "2026-02-01"} for code, level in levels.items()]


def doc(assessments: list[dict], requirements: list[dict] | None = None, service: dict | None = None) -> dict:
    return {"units": UNITS, "people": PEOPLE, "applications": APPS, "services": [service or SERVICE],
            "skill_assessments": assessments, "skill_requirements": NEEDS if requirements is None else requirements}


def test_rules_are_inactive_without_any_assessment():
    for rule in ("SKL-001", "SKL-002", "SKL-003", "SKL-004"):
        result, failing = evaluate(rule, doc([], []))
        assert result.status == "inactive" and not failing, rule
        assert "assessments" in result.reason


def test_skl001_requirements_nobody_meets():
    # Alice reaches 5.1 but not 4.1, Bob 4.1 but not 5.1: nobody meets both.
    check_fires("SKL-001", doc(assessed("alice", c5_1=6, c4_1=3) + assessed("bob", c4_1=5, c5_1=4)), "s")
    check_passes("SKL-001", doc(assessed("alice", c5_1=5, c4_1=4)))
    # Not critical: out of scope; no requirements: out of scope.
    result, _ = evaluate("SKL-001", doc(assessed("alice", c5_1=1), service={**SERVICE, "criticality": 2}))
    assert result.scope == 0
    result, _ = evaluate("SKL-001", doc(assessed("alice", c5_1=1), requirements=[]))
    assert result.scope == 0


def test_skl002_bus_factor_of_one_measured_by_requirements():
    only_alice = assessed("alice", c5_1=6, c4_1=6) + assessed("bob", c5_1=3, c4_1=3)
    result, failing = evaluate("SKL-002", doc(only_alice))
    assert failing == {"s"} and result.status == "evaluated"
    check_passes("SKL-002", doc(only_alice + assessed("carol", c5_1=5, c4_1=4)))


def test_skl002_bus_factor_from_named_people_without_requirements():
    # No requirement: IT owner, backup owner and application owners count (the business owner does not).
    lone = {**SERVICE, "it_owner": "alice", "backup_owner": "alice", "business_owner": "bob"}
    check_fires("SKL-002", doc(assessed("carol", c4_1=2), requirements=[], service=lone), "s")
    check_passes("SKL-002", doc(assessed("carol", c4_1=2), requirements=[]))


def test_skl002_zero_is_left_to_other_rules():
    _result, failing = evaluate("SKL-002", doc(assessed("carol", c4_1=2)))
    assert not failing


def test_skl003_only_competent_person_without_backup():
    alone = assessed("alice", c5_1=6, c4_1=6)
    check_fires("SKL-003", doc(alone, service={**SERVICE, "backup_owner": None}), "s")
    # The backup owner is the competent person herself: no backup either.
    check_fires("SKL-003", doc(alone, service={**SERVICE, "backup_owner": "alice"}), "s")
    check_passes("SKL-003", doc(alone))  # Bob is named to take over
    # Two competent people: out of the rule's scope.
    both = alone + assessed("bob", c5_1=5, c4_1=5)
    result, _ = evaluate("SKL-003", doc(both, service={**SERVICE, "backup_owner": None}))
    assert result.scope == 0


def test_skl004_unit_without_safety_above_level_3():
    base = assessed("alice", c4_2=5) + assessed("carol", c4_1=3, c4_2=3, c1_1=7)
    result, failing = evaluate("SKL-004", doc(base))
    assert failing == {"rh"} and result.scope == 2  # dsi passes thanks to Alice's 4.2 at level 5
    check_passes("SKL-004", doc(assessed("alice", c4_2=5) + assessed("carol", c4_4=4)))


def test_skl004_external_people_do_not_make_a_unit_safe():
    people = [*PEOPLE, {"slug": "ext", "name": "Ext", "unit": "rh", "external": True}]
    document = doc(assessed("carol", c4_1=2) + assessed("ext", c4_1=8))
    document["people"] = people
    _result, failing = evaluate("SKL-004", document)
    assert failing == {"rh"}
