"""Discovery in the browser (issue #11): upload a small Squid log, follow the job, see the services
found, and add Dropbox to the register as a shadow application in one click."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from mue.applications.models import Application
from mue.core.models import Membership, Workspace
from tests.browser.helpers import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-password-1"
SQUID = Path(__file__).resolve().parents[1] / "fixtures" / "logs" / "squid_small.log"


@pytest.fixture
def commune(db, settings, tmp_path):
    settings.MUE_JOBS_RUNNER = "inline"
    settings.VAR_DIR = tmp_path
    from mue.interchange.importer import import_document

    import_document({"workspace": {"slug": "bourg", "name": "Commune de Bourg", "kind": "commune"},
                     "applications": [{"slug": "messagerie", "name": "Messagerie", "kind": "saas"}]})
    ws = Workspace.objects.get(slug="bourg")
    user = get_user_model().objects.create_user("alice", "alice@example.org", PASSWORD)
    Membership.objects.create(workspace=ws, user=user, role="owner")
    return ws


def test_upload_squid_log_and_add_dropbox_as_shadow(page, base_url, commune):
    log_in(page, base_url, "alice", PASSWORD)
    page.goto(f"{base_url}/w/bourg/discovery/")
    assert_accessible(page)
    page.set_input_files("#id_logs", str(SQUID))
    page.get_by_role("button", name="Upload and read").click()
    page.wait_for_url(re.compile(r"/w/bourg/jobs/\d+/"))
    assert page.get_by_text("Finished", exact=True).is_visible()
    page.get_by_role("link", name="See the result").click()
    page.wait_for_url(re.compile(r"/w/bourg/discovery/runs/\d+/"))
    assert_accessible(page)
    row = page.locator("[data-testid=service-dropbox]")
    assert "Shadow IT" in row.inner_text()
    row.get_by_role("button", name=re.compile("Add to the register")).click()
    page.wait_for_url(re.compile(r"/w/bourg/discovery/runs/\d+/"))
    assert "added to the register as a shadow application" in page.content()
    app = Application.objects.get(workspace=commune, slug="dropbox")
    assert app.status == "shadow"
    assert page.locator("[data-testid=service-dropbox]").get_by_role("link", name=app.name).count() == 1
    page.get_by_role("link", name="Open it").click()
    page.wait_for_url(f"{base_url}/w/bourg/applications/dropbox/")
