"""The audit through the API: a run as a job, its findings, comparisons, waivers, answers, rules."""

from __future__ import annotations

import datetime as dt

import pytest

from mue.audit.models import AuditRun, Finding, Waiver

pytestmark = pytest.mark.django_db

BASE = "/api/v1/workspaces/valmont"


def test_an_audit_is_a_job_whose_status_url_leads_to_the_run(owner, audited):
    assert audited["kind"] == "audit" and audited["url"] == f"{BASE}/jobs/{audited['id']}"
    job = owner.get(audited["url"]).json()
    assert job["status"] == "succeeded" and job["finished"]
    run_id = job["result"]["run"]
    run = owner.get(f"{BASE}/audit/runs/{run_id}").json()
    stored = AuditRun.objects.get(pk=run_id)
    assert run["score"] == stored.score and run["domain_scores"] == stored.domain_scores
    assert run["summary"] == stored.summary and run["live"] is False
    assert owner.get(f"{BASE}/audit/runs").json()["items"][0]["id"] == run_id


def test_findings_of_a_run_filtered_and_paged(owner, audited):
    run_id = owner.get(audited["url"]).json()["result"]["run"]
    url = f"{BASE}/audit/runs/{run_id}/findings"
    everything, cursor = [], None
    while True:
        page = owner.get(url, limit="25", **({"after": cursor} if cursor else {})).json()
        everything += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(everything) == Finding.objects.filter(run_id=run_id).count() > 25
    assert len({f["id"] for f in everything}) == len(everything)  # no finding on two pages
    high = owner.get(url, severity="high", domain="continuity", limit="1000").json()["items"]
    assert high and all(f["severity"] == "high" and f["domain"] == "continuity" for f in high)
    one = everything[0]
    only = owner.get(url, rule=one["rule"].lower(), object=one["object_slug"]).json()["items"]
    assert [f["id"] for f in only] == [one["id"]]
    bad = owner.get(url, severity="dreadful")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "severity"
    assert owner.get(url, after="not-a-cursor").status_code == 422


def test_the_live_run_is_read_as_live(owner, audited):
    live = owner.get(f"{BASE}/audit/runs/live").json()
    assert live["id"] == "live" and live["live"] is True
    assert owner.get(f"{BASE}/audit/runs/live/findings").json()["items"]


def test_no_audit_yet_and_unknown_runs_are_404(owner, valmont):
    assert owner.get(f"{BASE}/audit/runs/live").status_code == 404
    assert owner.get(f"{BASE}/audit/runs/99999").json()["code"] == "not_found"
    assert owner.get(f"{BASE}/audit/runs/abc/findings").status_code == 404


def test_compare_two_runs_after_a_fix(owner, audited):
    first = owner.get(audited["url"]).json()["result"]["run"]
    # Fix one finding through the API (MFA on the family portal: P13), then audit again.
    assert owner.patch(f"{BASE}/applications/portail-famille", {"mfa": True}).status_code == 200
    second_job = owner.post(f"{BASE}/audit/runs", {"as_of": dt.date.today().isoformat()}).json()
    second = owner.get(second_job["url"]).json()["result"]["run"]
    comparison = owner.get(f"{BASE}/audit/compare", before=str(first), after=str(second)).json()
    assert comparison["before"] == first and comparison["after"] == second
    assert any(f["object_slug"] == "portail-famille" for f in comparison["resolved"])
    assert comparison["still_open"] and not comparison["new"]
    assert owner.get(f"{BASE}/audit/compare", before="x", after=str(second)).status_code == 422


def test_waive_then_revoke_a_finding(owner, audited):
    finding = owner.get(f"{BASE}/audit/runs/live/findings", limit="25").json()["items"][0]
    target = f"{finding['object_type']}:{finding['object_slug']}"
    until = (dt.date.today() + dt.timedelta(days=90)).isoformat()
    created = owner.post(f"{BASE}/audit/waivers", {"rule": finding["rule"], "object": target,
                                                   "justification": "Remplacement prévu", "approver": "DGS",
                                                   "expires": until})
    assert created.status_code == 201, created.content
    waiver = created.json()
    assert waiver["in_force"] and waiver["recorded_by"].startswith("api")
    live = owner.get(f"{BASE}/audit/runs/live/findings", rule=finding["rule"], object=finding["object_slug"]).json()
    assert live["items"][0]["status"] == "waived" and live["items"][0]["waiver"] == waiver["id"]

    revoked = owner.delete(f"{BASE}/audit/waivers/{waiver['id']}")
    assert revoked.status_code == 200 and revoked.json()["revoked"] and not revoked.json()["in_force"]
    live = owner.get(f"{BASE}/audit/runs/live/findings", rule=finding["rule"], object=finding["object_slug"]).json()
    assert live["items"][0]["status"] == "open"
    assert Waiver.objects.get(pk=waiver["id"]).revoked_by  # kept on record
    assert owner.delete(f"{BASE}/audit/waivers/{waiver['id']}").status_code == 409
    listed = owner.get(f"{BASE}/audit/waivers", in_force="false").json()
    assert [w["id"] for w in listed] == [waiver["id"]]


@pytest.mark.parametrize(("body", "field"), [
    ({"rule": "XXX-999", "object": "service:x", "justification": "j", "approver": "a", "expires": "2099-01-01"}, None),
    ({"rule": "DOC-003", "object": "application:nowhere", "justification": "j", "approver": "a",
      "expires": "2099-01-01"}, None),
    ({"rule": "DOC-003", "object": "application:logiciel-police", "justification": "j", "approver": "a",
      "expires": "someday"}, "expires"),
    ({"rule": "DOC-003"}, "object"),
])
def test_a_wrong_waiver_is_a_422_and_writes_nothing(owner, valmont, body, field):
    response = owner.post(f"{BASE}/audit/waivers", body)
    assert response.status_code == 422, response.content
    assert any(e["field"] == field for e in response.json()["errors"])
    assert not Waiver.objects.exists()


def test_answer_the_questionnaire(owner, audited):
    question = next(r for r in owner.get("/api/v1/audit/rules").json() if r["kind"] == "declared")
    response = owner.post(f"{BASE}/audit/answers", {"question": question["id"], "answer": "yes",
                                                    "answered_by": "DGS", "note": "Procédure écrite"})
    assert response.status_code == 201 and response.json()["answer"] == "yes"
    assert owner.get(f"{BASE}/audit/answers").json()[0]["question"] == question["id"]
    wrong = owner.post(f"{BASE}/audit/answers", {"question": question["id"], "answer": "maybe", "answered_by": "x"})
    assert wrong.status_code == 422


def test_rules_catalogue_in_the_callers_language(owner):
    english = owner.get("/api/v1/audit/rules").json()
    french = owner.get("/api/v1/audit/rules", headers={"Accept-Language": "fr"}).json()
    assert len(english) >= 64 and {r["id"] for r in english} == {r["id"] for r in french}
    assert english[0]["title"] != french[0]["title"]


def test_roles_apply(valmont, member, audited):
    _user, viewer = member(valmont, "viewer")
    assert viewer.get(f"{BASE}/audit/runs").status_code == 200
    assert viewer.post(f"{BASE}/audit/runs", {}).status_code == 403
    assert viewer.post(f"{BASE}/audit/waivers", {}).status_code in (403, 422)
    _user, stranger = member(None)
    assert stranger.get(f"{BASE}/audit/runs").status_code == 404
    _user, read_only = member(valmont, "owner", read_only=True)
    assert read_only.post(f"{BASE}/audit/runs", {}).json()["code"] == "read_only_token"
