"""The report in the browser (issue #13): an auditor prepares the report of the latest audit, sets the
licence and an action's owner, submits it; a second auditor comments and approves; the author
publishes; the published edition is frozen and its HTML served as it was published."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from mue.audit.engine import run_audit
from mue.core.models import Membership, Workspace
from mue.reports.models import Report, ReviewComment
from tests.browser.helpers import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-password-1"


@pytest.fixture
def audited(db):
    from mue.demo import load_demo, today

    load_demo("valmont")
    ws = Workspace.objects.get(slug="valmont")
    run_audit(ws, as_of=today(), store=True, actor="test")
    for name, first in (("claire", "Claire"), ("paul", "Paul")):
        user = get_user_model().objects.create_user(name, f"{name}@example.org", PASSWORD, first_name=first)
        Membership.objects.create(workspace=ws, user=user, role="auditor")
    return ws


def test_review_to_publication(page, browser, base_url, audited):
    log_in(page, base_url, "claire", PASSWORD)
    page.goto(f"{base_url}/w/valmont/reports/")
    assert_accessible(page)
    page.get_by_role("button", name="Prepare the report of the latest audit").click()
    page.wait_for_url(re.compile(r"/w/valmont/reports/\d+/$"))
    assert_accessible(page)
    report = Report.objects.get(workspace=audited)
    page.select_option("#id_licence", "cc-by-sa-4.0")
    page.locator(".mue-plan tbody tr").first.locator("input[name$=owner]").fill("Direction générale")
    page.get_by_role("button", name="Save the cover and the plan").click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.licence == "cc-by-sa-4.0"
    assert report.actions.exclude(owner="").values_list("owner", flat=True).first() == "Direction générale"
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_load_state()
    assert "A second auditor, not the author, requests changes or approves." in page.content()

    reviewer = browser.new_context(locale="en-GB", base_url=base_url).new_page()
    log_in(reviewer, base_url, "paul", PASSWORD)
    reviewer.goto(f"{base_url}/w/valmont/reports/{report.pk}/")
    reviewer.select_option("#id_section", "summary")
    reviewer.fill("#id_body", "Résumé clair ; je valide.")
    reviewer.get_by_role("button", name="Approve").click()
    reviewer.wait_for_load_state()
    assert ReviewComment.objects.filter(report=report, verdict="approved", section="summary").exists()
    reviewer.context.close()

    page.reload()
    assert "Résumé clair" in page.content()
    page.once("dialog", lambda dialog: dialog.accept())  # "Publish this report? Its files will never change again."
    with page.expect_navigation(timeout=300_000):  # publishing writes the DOCX, HTML and PDF files
        page.get_by_role("button", name="Publish").click(no_wait_after=True)
    published = Report.objects.filter(workspace=audited).exclude(version=None).get()
    assert published.frozen and published.version == 1
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="HTML").first.click()
    html = download.value.path().read_bytes()
    assert html == bytes(published.files.get(format="html").content)
    text = html.decode()
    assert "creativecommons.org/licenses/by-sa/4.0" in text and "Paul" in text and "Claire" in text
