"""The audit pages: run an audit as a job, read the findings, waive one, answer the questionnaire,
compare runs, the live findings after an edit and the findings tab of an object."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from mue.audit.models import AuditRun, Finding, QuestionnaireAnswer, Waiver

pytestmark = pytest.mark.django_db

P03 = ("DAT-001", "flow", "rh-vers-mutuelle-courriel")


@pytest.fixture(autouse=True)
def inline_jobs(settings):
    settings.MUE_JOBS_RUNNER = "inline"


@pytest.fixture
def audited(owner_client, valmont):
    response = owner_client.post(reverse("web:audit_start", args=["valmont"]))
    assert response.status_code == 302
    return owner_client


def _live(workspace):
    return AuditRun.with_live.get(workspace=workspace, live=True)


def test_empty_state_then_run_as_a_job(owner_client, valmont):
    page = owner_client.get(reverse("web:audit", args=["valmont"]))
    assert page.status_code == 200 and b"has not been audited yet" in page.content
    response = owner_client.post(reverse("web:audit_start", args=["valmont"]))
    job_url = response["Location"]
    assert "/jobs/" in job_url
    job_page = owner_client.get(job_url)
    assert b"Finished" in job_page.content and b"See the result" in job_page.content
    run = AuditRun.objects.get(workspace=valmont)
    assert run.actor_name == owner_client.session.get("_auth_user_id") or run.actor_name
    live = _live(valmont)
    assert live.score == run.score
    assert Finding.objects.filter(run=live).count() == Finding.objects.filter(run=run).count() > 0


def test_run_page_shows_p03_with_evidence_and_remediation(audited, valmont):
    page = audited.get(reverse("web:audit", args=["valmont"]), {"domain": "data-protection"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "DAT-001" in text and "rh-vers-mutuelle-courriel" in text
    assert 'data-mue-chart="audit-radar"' in text and 'id="audit-radar"' in text
    assert "/w/valmont/flows/rh-vers-mutuelle-courriel/" in text  # linked to its object
    assert "What to do" in text


def test_filters(audited, valmont):
    url = reverse("web:audit", args=["valmont"])
    only_dat = audited.get(url, {"rule": "dat-001"}).content.decode()
    assert "rh-vers-mutuelle-courriel" in only_dat and "DOC-00" not in only_dat.split('id="findings"')[1]
    nothing = audited.get(url, {"q": "no-such-object-anywhere"}).content.decode()
    assert "No finding matches these filters." in nothing


def test_waive_from_the_page_changes_the_live_score_and_the_next_run(audited, valmont):
    before = _live(valmont).domain_scores["domains"]["data-protection"]["rate"]
    waive = reverse("web:audit_waive", args=["valmont"])
    form = audited.get(waive, {"rule": "DAT-001", "target": "flow:rh-vers-mutuelle-courriel"})
    assert form.status_code == 200 and b"Record the waiver" in form.content
    until = (dt.date.today() + dt.timedelta(days=90)).isoformat()
    response = audited.post(waive, {"rule": "DAT-001", "target": "flow:rh-vers-mutuelle-courriel",
                                    "justification": "Moved to the secure portal in March", "approver": "DGS",
                                    "expires": until, "next": "/w/valmont/audit/"})
    assert response.status_code == 302 and response["Location"] == "/w/valmont/audit/"
    waiver = Waiver.objects.get(workspace=valmont)
    assert waiver.created_by and waiver.approver == "DGS"
    finding = Finding.objects.get(run=_live(valmont), rule_id="DAT-001", object_slug=P03[2])
    assert finding.status == "waived"
    # One flow of 48 in scope: the rate moves (the 1-5 score, to one decimal, may not).
    assert _live(valmont).domain_scores["domains"]["data-protection"]["rate"] > before
    audited.post(reverse("web:audit_start", args=["valmont"]))
    first, second = AuditRun.objects.filter(workspace=valmont).order_by("started", "id")
    assert second.domain_scores["rate"] > first.domain_scores["rate"]
    comparison = audited.get(reverse("web:audit_compare", args=["valmont"]),
                             {"before": first.pk, "after": second.pk}).content.decode()
    assert "Newly waived" in comparison and "rh-vers-mutuelle-courriel" in comparison
    assert 'data-testid="rate-change"' in comparison


def test_waiver_refused_with_its_reason(audited, valmont):
    waive = reverse("web:audit_waive", args=["valmont"])
    page = audited.post(waive, {"rule": "DAT-001", "target": "flow:no-such-flow", "justification": "x",
                                "approver": "DGS", "expires": "2999-01-01"})
    assert page.status_code == 200 and b"no flow" in page.content
    assert not Waiver.objects.exists()


def test_answer_the_questionnaire(audited, valmont):
    url = reverse("web:audit_questionnaire", args=["valmont"])
    page = audited.get(url)
    assert page.status_code == 200
    from mue.audit.rules import questions

    question = questions()[0]
    response = audited.post(url, {"question": question.id, "answer": "no", "answered_by": "DGS", "note": "none"})
    assert response.status_code == 302
    assert QuestionnaireAnswer.objects.get(workspace=valmont).answer == "no"
    live = _live(valmont)
    assert Finding.objects.filter(run=live, rule_id=question.id, object_type="workspace").exists()
    result = next(r for r in live.rule_results if r["rule_id"] == question.id)
    assert result["status"] == "evaluated" and result["answer"] == "no"


def test_viewer_reads_but_may_not_run_waive_or_answer(client, valmont, member_factory, audited):
    client.force_login(member_factory(valmont, "viewer"))
    assert client.get(reverse("web:audit", args=["valmont"])).status_code == 200
    assert client.post(reverse("web:audit_start", args=["valmont"])).status_code == 404
    assert client.get(reverse("web:audit_waive", args=["valmont"]),
                      {"rule": "DAT-001", "target": "flow:x"}).status_code == 404
    from mue.audit.rules import questions

    assert client.post(reverse("web:audit_questionnaire", args=["valmont"]),
                       {"question": questions()[0].id, "answer": "no", "answered_by": "x"}).status_code == 404


def test_edit_in_the_browser_refreshes_the_live_findings_and_the_object_tab(audited, valmont):
    flow_url = reverse("web:object_detail", args=["valmont", "flows", P03[2]])
    tab = audited.get(flow_url).content.decode()
    assert "DAT-001" in tab and "Findings evaluated on" in tab
    from mue.dataflows.models import DataFlow

    flow = DataFlow.objects.get(workspace=valmont, slug=P03[2])
    edit = audited.get(reverse("web:object_edit", args=["valmont", "flows", P03[2]]))
    form = edit.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = value
    data["encrypted"] = "true"
    response = audited.post(reverse("web:object_edit", args=["valmont", "flows", P03[2]]), data)
    assert response.status_code == 302, response.content[:2000]
    flow.refresh_from_db()
    assert flow.encrypted is True
    live = _live(valmont)
    assert not Finding.objects.filter(run=live, rule_id="DAT-001", object_slug=P03[2]).exists()
    assert "DAT-001" not in audited.get(flow_url).content.decode().split("tab-findings")[1].split("</section>")[0]


def test_rules_page(owner_client, valmont):
    page = owner_client.get(reverse("web:audit_rules", args=["valmont"]))
    assert page.status_code == 200 and b"DAT-001" in page.content
    filtered = owner_client.get(reverse("web:audit_rules", args=["valmont"]), {"domain": "security"})
    assert b"SEC-001" in filtered.content and b"DAT-001" not in filtered.content


def test_runs_page_and_snapshot(audited, valmont):
    run = AuditRun.objects.get(workspace=valmont)
    runs = audited.get(reverse("web:audit_runs", args=["valmont"]))
    assert runs.status_code == 200 and reverse("web:audit_run", args=["valmont", run.pk]).encode() in runs.content
    snapshot = audited.get(reverse("web:audit_run", args=["valmont", run.pk]))
    assert snapshot.status_code == 200 and b"snapshot" in snapshot.content
    live = _live(valmont)
    assert audited.get(reverse("web:audit_run", args=["valmont", live.pk])).status_code == 404
