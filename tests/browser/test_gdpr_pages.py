"""The GDPR page in the browser: the record, its downloads, the suggestions written as drafts by an
editor, a data subject request; the page and an activity's derived page are accessible."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from mue.core.models import Membership, Workspace
from mue.demo import load_demo
from mue.gdpr.models import ProcessingActivity
from tests.browser.helpers import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-password-1"
#: Set MUE_GDPR_SCREENSHOTS=DIR to keep screenshots of the pages (to look at them).
SHOTS = os.environ.get("MUE_GDPR_SCREENSHOTS")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_gdpr_page_record_drafts_and_subject_request(page, base_url):
    load_demo("valmont")
    workspace = Workspace.objects.get(slug="valmont")
    user = get_user_model().objects.create_user("edith", "edith@example.org", PASSWORD)
    Membership.objects.create(workspace=workspace, user=user, role="editor")
    log_in(page, base_url, "edith", PASSWORD)

    page.goto(f"{base_url}/w/valmont/gdpr/")
    assert page.get_by_role("link", name="Vidéoprotection de la voie publique").is_visible()
    assert_accessible(page)
    _shot(page, "gdpr-page")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("XLSX")).click()
    assert download.value.suggested_filename == "valmont-registre-rgpd.xlsx"

    page.get_by_role("button", name=re.compile("drafts|brouillons")).click()
    page.wait_for_url(re.compile(r"/w/valmont/gdpr/$"))
    assert ProcessingActivity.objects.get(workspace=workspace, slug="seances-conseil").status == "draft"

    page.get_by_label(re.compile("data subjects|personnes")).fill("agents")
    page.get_by_role("button", name=re.compile("^(Find|Chercher|Rechercher|Trouver)$")).click()
    assert "Horizon RH-Paie" in page.content()
    _shot(page, "gdpr-subject")

    page.goto(f"{base_url}/w/valmont/processing-activities/videoprotection/")
    assert "Vidéoprotection de la voie publique" in page.content()
    assert_accessible(page)
    _shot(page, "gdpr-activity")
