"""The audit in the browser (issue #11): run an audit on the Valmont demo as a job, see the planted
finding P03 (personal data sent unencrypted) with its evidence, waive it, run again, and the score
moves; the radar chart is drawn and its figures are in a table."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from mue.audit.models import AuditRun, Waiver
from mue.core.models import Membership, Workspace
from tests.browser.helpers import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-password-1"


@pytest.fixture
def advisor(db, settings):
    settings.MUE_JOBS_RUNNER = "inline"  # the live server's database is this process's (in memory)
    from mue.demo import load_demo

    load_demo("valmont")
    ws = Workspace.objects.get(slug="valmont")
    user = get_user_model().objects.create_user("claire", "claire@example.org", PASSWORD, first_name="Claire",
                                                last_name="Auditrice")
    Membership.objects.create(workspace=ws, user=user, role="auditor")
    return ws


def _run_audit(page, base_url):
    page.get_by_role("button", name=re.compile("Run (the first|a new) audit")).click()
    page.wait_for_url(re.compile(r"/w/valmont/jobs/\d+/"))
    assert page.get_by_text("Finished", exact=True).is_visible()
    page.get_by_role("link", name="See the result").click()
    page.wait_for_url(re.compile(r"/w/valmont/audit/runs/\d+/"))


def test_audit_waive_p03_and_rerun(page, base_url, advisor):
    log_in(page, base_url, "claire", PASSWORD)
    page.goto(f"{base_url}/w/valmont/audit/")
    assert_accessible(page)
    _run_audit(page, base_url)
    page.wait_for_selector("[data-mue-chart][data-mue-drawn] canvas")  # the radar chart, drawn by the vendored ECharts
    assert page.get_by_role("table", name=re.compile("Maturity score of each domain")).count() == 1
    assert_accessible(page)

    page.goto(f"{base_url}/w/valmont/audit/?rule=DAT-001")
    finding = page.locator("[data-testid=finding]", has_text="rh-vers-mutuelle-courriel")
    assert finding.count() == 1
    text = finding.inner_text()
    assert "DAT-001" in text and "Encrypted" in text  # the evidence: the flow's "encrypted" field
    finding.get_by_text("What to do").click()
    assert finding.locator("details p").first.is_visible()
    rate_before = AuditRun.objects.get(workspace=advisor).domain_scores["rate"]

    finding.get_by_role("link", name=re.compile("Waive")).click()
    page.wait_for_url(re.compile(r"/audit/waive/"))
    assert_accessible(page)
    page.fill("#id_justification", "Le courriel sera remplacé par le portail sécurisé de la mutuelle en mars.")
    page.get_by_role("button", name="Record the waiver").click()
    page.wait_for_url(re.compile(r"/w/valmont/audit/\?rule=DAT-001"))
    assert "Waiver recorded" in page.content()
    waiver = Waiver.objects.get(workspace=advisor)
    assert waiver.approver == "Claire Auditrice" and waiver.created_by == "claire"
    page.goto(f"{base_url}/w/valmont/audit/?rule=DAT-001&status=waived")
    assert page.locator("[data-testid=finding]", has_text="rh-vers-mutuelle-courriel").count() == 1

    page.goto(f"{base_url}/w/valmont/audit/runs/")
    _run_audit(page, base_url)
    first, second = AuditRun.objects.filter(workspace=advisor).order_by("started", "id")
    assert second.domain_scores["rate"] > rate_before

    page.goto(f"{base_url}/w/valmont/audit/compare/?before={first.pk}&after={second.pk}")
    assert_accessible(page)
    change = page.locator("[data-testid=rate-change]").inner_text()
    # With the skills rules the rate moves by less than 0.05 point: the page then shows "(0.0)"
    # unsigned; the two rates shown still rise.
    shown = [float(v.replace(",", ".")) for v in re.findall(r"(\d+[.,]\d) %", change)]
    assert len(shown) == 2 and shown[1] > shown[0], change
    assert "DAT-001" in page.locator("#waived").inner_text()  # P03, newly waived


def test_object_page_shows_its_findings_and_an_edit_refreshes_them(page, base_url, advisor):
    from mue.audit import live
    from mue.audit.engine import run_audit

    live.publish(advisor, run_audit(advisor, store=False), live.last_entry(advisor))
    Membership.objects.filter(user__username="claire").update(can_edit=True)
    log_in(page, base_url, "claire", PASSWORD)
    page.goto(f"{base_url}/w/valmont/flows/rh-vers-mutuelle-courriel/")
    tab = page.locator("#tab-findings").locator("xpath=../..")
    assert "DAT-001" in tab.inner_text() and "Findings evaluated on" in tab.inner_text()
    assert_accessible(page)
    page.goto(f"{base_url}/w/valmont/flows/rh-vers-mutuelle-courriel/edit/")
    page.select_option("#id_encrypted", "true")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{base_url}/w/valmont/flows/rh-vers-mutuelle-courriel/")
    tab = page.locator("#tab-findings").locator("xpath=../..")
    assert "DAT-001" not in tab.inner_text()
