"""The engine: scores, waivers, questionnaire answers, stored runs, comparison, query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mue.audit.engine import run_audit
from mue.audit.models import AuditRun, Finding, QuestionnaireAnswer, Waiver
from mue.audit.results import RuleResult
from mue.audit.rules import catalogue, observed_rules
from mue.audit.score import maturity, to_scale
from mue.audit.store import compare, load_run
from mue.audit.waivers import WaiverError, add_waiver, answer_question
from tests.audit.helpers import AS_OF, PEOPLE, load

pytestmark = pytest.mark.django_db


def test_catalogue_has_at_least_45_observed_rules_in_every_domain():
    rules = observed_rules()
    assert len(rules) >= 45
    assert {r.domain for r in rules} == {"documentation", "continuity", "data-protection", "security", "usage",
                                         "costs", "contracts", "terms", "skills"}
    assert len({r.id for r in catalogue()}) == len(catalogue())


def test_every_observed_rule_has_a_test():
    """Adding a rule is a module plus its test: a rule id nobody tests fails here."""
    from pathlib import Path

    tests = "".join(p.read_text() for p in (Path(__file__).parent / "rules").glob("test_*.py"))
    untested = [r.id for r in observed_rules() if f'"{r.id}"' not in tests]
    assert not untested


def _result(severity, compliance, kind="observed", domain="security"):
    return RuleResult(rule_id="X", domain=domain, severity=severity, kind=kind, status="evaluated", scope=1,
                      compliance=compliance, effective_compliance=compliance)


def test_score_is_severity_weighted_and_ignores_rules_out_of_scope():
    results = [_result("critical", 0.0), _result("low", 1.0),
               RuleResult(rule_id="Y", domain="security", severity="high", kind="observed", status="not-applicable"),
               _result("info", 0.0)]
    score = maturity(results)
    # (8 × 0 + 1 × 1) / 9 = 0.111 → 1 + 4 × 0.111 = 1.4
    assert score["domains"]["security"]["score"] == 1.4
    assert score["domains"]["security"]["rules_counted"] == 2
    assert score["domains"]["continuity"]["score"] is None
    assert score["score"] == 1.4


def test_score_blends_observed_and_declared_and_says_which():
    score = maturity([_result("high", 1.0), _result("high", 0.0, kind="declared")])
    domain = score["domains"]["security"]
    assert domain["score"] == 3.0
    assert domain["observed"]["score"] == 5.0 and domain["declared"]["score"] == 1.0
    assert domain["declared_share"] == 0.5


def test_score_is_fair_to_workspace_size():
    """Half the objects failing scores the same with 2 objects or 2,000."""
    small = RuleResult(rule_id="X", domain="costs", severity="medium", kind="observed", status="evaluated",
                       scope=2, failing=1, compliance=0.5, effective_compliance=0.5)
    large = RuleResult(rule_id="X", domain="costs", severity="medium", kind="observed", status="evaluated",
                       scope=2000, failing=1000, compliance=0.5, effective_compliance=0.5)
    assert maturity([small])["score"] == maturity([large])["score"] == to_scale(0.5) == 3.0


SMALL = {"people": PEOPLE,
         "applications": [{"slug": "a", "name": "A", "kind": "saas", "owner": "alice"},
                          {"slug": "b", "name": "B", "kind": "saas"}],
         "services": [{"slug": "s", "name": "S", "business_owner": "alice", "applications": ["a"]}]}


def test_run_reports_compliance_per_rule():
    audit = run_audit(load(SMALL), AS_OF, store=False)
    doc003 = audit.rule("DOC-003")
    assert (doc003.scope, doc003.failing, doc003.compliance) == (2, 1, 0.5)
    assert {f.object_slug for f in audit.findings_for("DOC-003")} == {"b"}
    assert audit.findings_for("DOC-003")[0].evidence == {"status": "approved", "kind": "saas", "vendor": None}
    assert audit.rule("CST-002").status == "inactive"
    assert audit.rule("DOC-001").status == "not-applicable"


def test_waiver_valid_then_expired():
    ws = load(SMALL)
    waiver = add_waiver(ws, "DOC-003", "application:b", justification="Being replaced in June",
                        approver="DGS", expires=dt.date(2099, 1, 1))
    audit = run_audit(ws, AS_OF, store=False)
    finding = audit.findings_for("DOC-003")[0]
    assert finding.status == "waived" and finding.waiver_id == waiver.pk
    result = audit.rule("DOC-003")
    assert result.waived == 1 and result.compliance == 0.5 and result.effective_compliance == 1.0
    later = run_audit(ws, dt.date(2099, 1, 2), store=False)
    reopened = later.findings_for("DOC-003")[0]
    assert reopened.status == "open" and reopened.evidence["waiver_expired"] == "2099-01-01"


def test_waiver_checks_its_target():
    ws = load(SMALL)
    with pytest.raises(WaiverError):
        add_waiver(ws, "DOC-003", "service:s", justification="x", approver="y", expires=dt.date(2099, 1, 1))
    with pytest.raises(WaiverError):
        add_waiver(ws, "DOC-003", "application:nope", justification="x", approver="y", expires=dt.date(2099, 1, 1))
    with pytest.raises(WaiverError):
        add_waiver(ws, "NOPE-1", "application:b", justification="x", approver="y", expires=dt.date(2099, 1, 1))


def test_questionnaire_answers_count_as_declared_rules():
    ws = load(SMALL)
    answer_question(ws, "CON-Q01", "no", answered_by="DSI", note="never tested", answered_on=AS_OF)
    answer_question(ws, "CON-Q02", "partial", answered_by="DSI", answered_on=AS_OF)
    answer_question(ws, "SEC-Q01", "unknown", answered_by="DSI", answered_on=AS_OF)
    answer_question(ws, "SEC-Q02", "no", answered_by="DSI", answered_on=dt.date(2025, 1, 1))
    answer_question(ws, "SEC-Q02", "yes", answered_by="DSI", answered_on=dt.date(2026, 1, 1))  # latest wins
    audit = run_audit(ws, AS_OF, store=False)
    assert audit.rule("CON-Q01").compliance == 0.0 and audit.rule("CON-Q02").compliance == 0.5
    assert audit.rule("SEC-Q01").status == "unanswered" and audit.rule("SEC-Q01").answer == "unknown"
    assert audit.rule("SEC-Q02").compliance == 1.0
    declared = {f.rule_id: f for f in audit.findings if f.object_type == "workspace"}
    assert set(declared) == {"CON-Q01", "CON-Q02"}
    assert declared["CON-Q01"].evidence["note"] == "never tested"
    continuity = audit.score["domains"]["continuity"]
    assert continuity["declared"]["weight"] == 8 and continuity["declared"]["score"] == 2.0
    with pytest.raises(WaiverError):
        answer_question(ws, "DOC-001", "yes", answered_by="x")  # observed rules are not answered
    assert QuestionnaireAnswer.objects.filter(workspace=ws).count() == 5


def test_runs_are_stored_and_compared():
    ws = load(SMALL)
    first = run_audit(ws, AS_OF, actor="test")
    run = AuditRun.objects.get(pk=first.run_id)
    assert run.score == first.score["score"]
    assert Finding.objects.filter(run=run).count() == len(first.findings)
    assert load_run(run).findings == sorted(first.findings, key=lambda f: (f.rule_id, f.object_slug))
    # Fix one problem (b gets an owner), create another (a new application without owner).
    load({**SMALL, "applications": [{"slug": "a", "name": "A", "kind": "saas", "owner": "alice"},
                                    {"slug": "b", "name": "B", "kind": "saas", "owner": "bob"},
                                    {"slug": "c", "name": "C", "kind": "saas"}]}, slug=ws.slug)
    Waiver.objects.create(workspace=ws, rule_id="DOC-004", object_type="service", object_slug="s",
                          justification="j", approver="a", expires=dt.date(2099, 1, 1))
    second = run_audit(ws, AS_OF)
    diff = compare(load_run(run), second)
    assert ("DOC-003", "b") in {(f.rule_id, f.object_slug) for f in diff.fixed}
    assert ("DOC-003", "c") in {(f.rule_id, f.object_slug) for f in diff.new}
    assert ("DOC-004", "s") in {(f.rule_id, f.object_slug) for f in diff.newly_waived}
    assert ("DOC-004", "s") not in {(f.rule_id, f.object_slug) for f in diff.fixed}
    assert diff.still_open and all(f.status == "open" for f in diff.still_open)
    assert diff.as_json()["after"] == second.run_id


def _queries(doc, store: bool) -> int:
    ws = load(doc)
    with CaptureQueriesContext(connection) as captured:
        run_audit(ws, AS_OF, store=store)
    return len(captured.captured_queries)


def _workspace_of_size(n: int) -> dict:
    """n of everything, all failing many rules, all in scope of the same rules."""
    return {
        "people": PEOPLE,
        "data_categories": [{"slug": f"d{i}", "name": f"D{i}", "personal_data": "sensitive"} for i in range(n)],
        "assets": [{"slug": f"srv{i}", "name": f"S{i}", "kind": "server", "managed": False,
                    "end_of_life": "2020-01-01"} for i in range(n)]
        + [{"slug": f"cam{i}", "name": f"C{i}", "kind": "iot-device"} for i in range(n)],
        "parties": [{"slug": f"v{i}", "name": f"V{i}", "country": "US"} for i in range(n)],
        "applications": [{"slug": f"a{i}", "name": f"A{i}", "kind": "saas", "vendor": f"v{i}",
                          "category": "email", "hosting_country": "US", "data": [f"d{i}"],
                          "runs_on": [f"srv{i}"], "end_of_support": "2020-01-01", "seats": 10}
                         for i in range(n)],
        "services": [{"slug": f"s{i}", "name": f"S{i}", "criticality": 4, "rto_hours": 4,
                      "applications": [f"a{i}"], "users_count": 1} for i in range(n)],
        "flows": [{"slug": f"f{i}", "from": f"a{i}", "to": f"party:v{i}", "data": [f"d{i}"], "protocol": "ftp"}
                  for i in range(n)],
        "contracts": [{"slug": f"c{i}", "name": f"C{i}", "vendor": f"v{i}", "applications": [f"a{i}"],
                       "tacit_renewal": True, "end": "2026-04-01", "notice_days": 30} for i in range(n)],
        "costs": [{"slug": f"k{i}", "name": f"K{i}", "amount": 10, "year": 2026, "kind": "licence"}
                  for i in range(n)],
        "documents": [{"slug": f"doc{i}", "name": f"Doc{i}", "kind": "procedure"} for i in range(n)],
        "terms_of_use": [{"slug": f"t{i}", "name": f"T{i}", "application": f"a{i}"} for i in range(n)],
        "content_licences": [{"slug": f"l{i}", "name": f"L{i}"} for i in range(n)],
    }


@pytest.mark.parametrize("store", [False, True])
def test_query_count_is_constant_in_the_number_of_objects(store):
    small, large = _queries(_workspace_of_size(2), store), _queries(_workspace_of_size(25), store)
    assert small == large
    assert small <= 2 * len(observed_rules()) + 10
