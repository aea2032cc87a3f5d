"""A document's file in the browser: an editor attaches it on the document's page, a viewer
downloads the same bytes, a refused kind says why; the panel is accessible."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from mue.core.models import Membership, Workspace
from mue.documents.models import Document
from tests.browser.helpers import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-password-1"


@pytest.fixture
def plan(settings, tmp_path) -> Document:
    settings.MEDIA_ROOT = tmp_path / "media"
    workspace = Workspace.objects.create(slug="bourg", name="Commune de Bourg")
    return Document.objects.create(workspace=workspace, slug="pra", name="Plan de reprise", kind="continuity-plan")


def _member(workspace, username: str, role: str) -> None:
    user = get_user_model().objects.create_user(username, f"{username}@example.org", PASSWORD)
    Membership.objects.create(workspace=workspace, user=user, role=role)


def test_attach_a_file_and_download_it(page, base_url, plan, tmp_path):
    _member(plan.workspace, "alice", "editor")
    log_in(page, base_url, "alice", PASSWORD)
    page.goto(f"{base_url}/w/bourg/documents/pra/")
    assert "No file attached." in page.content()
    source = tmp_path / "pra-2026.pdf"
    source.write_bytes(b"%PDF-1.4 plan de reprise")
    page.set_input_files("#mue-document-file-input", str(source))
    page.get_by_role("button", name=re.compile("^Upload$")).click()
    page.wait_for_url(re.compile(r"/w/bourg/documents/pra/"))
    assert "pra-2026.pdf" in page.content()
    assert_accessible(page)

    wrong = tmp_path / "outil.exe"
    wrong.write_bytes(b"MZ")
    page.set_input_files("#mue-document-file-input", str(wrong))
    page.get_by_role("button", name=re.compile("^Upload$")).click()
    assert page.get_by_role("alert").inner_text().startswith("Files of this kind (.exe) are not kept.")
    assert_accessible(page)

    page.context.clear_cookies()
    _member(plan.workspace, "bob", "viewer")
    log_in(page, base_url, "bob", PASSWORD)
    page.goto(f"{base_url}/w/bourg/documents/pra/")
    assert page.locator("#mue-document-file-input").count() == 0
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    assert download.value.suggested_filename == "pra-2026.pdf"
    assert open(download.value.path(), "rb").read() == b"%PDF-1.4 plan de reprise"
