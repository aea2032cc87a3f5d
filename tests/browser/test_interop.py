"""The interoperability page in the browser: the ArchiMate download, a Mercator dump previewed then
imported, with what was mapped, merged and left out; accessible."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mue.applications.models import Application
from mue.interchange.archimate.writer import validate
from tests.browser.helpers import assert_accessible, log_in, save_shot, valmont_with_owner

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-password-1"
DUMP = Path(__file__).parent.parent / "fixtures" / "mercator" / "mercator_data_en.sql"
SHOTS = os.environ.get("MUE_INTEROP_SHOTS")  # a folder: the steps are also saved there as PNG, to look at


@pytest.fixture
def valmont(db):
    return valmont_with_owner("camille", PASSWORD)


def _shot(page, name: str) -> None:
    save_shot(page, SHOTS, name)


def test_download_the_model_then_import_a_mercator_dump(page, base_url, valmont):
    log_in(page, base_url, "camille", PASSWORD, "/w/valmont/")
    page.get_by_role("link", name="Interoperability").first.click()
    page.wait_for_url("**/w/valmont/interop/")
    assert_accessible(page)
    _shot(page, "interop-page")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the ArchiMate model").click()
    assert validate(Path(download.value.path()).read_bytes()) == []

    page.get_by_label("Mercator database dump").check()
    page.set_input_files("#interop-file", str(DUMP))
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_url("**/w/valmont/interop/*/")
    assert page.get_by_role("heading", name="Preview: what the import will do").is_visible()
    report = page.locator("[data-mue-interop-report]")
    assert "mapped: 15 applications" in report.inner_text() and "left out: " in report.inner_text()
    assert_accessible(page)
    _shot(page, "interop-preview")
    assert not Application.objects.filter(workspace=valmont, slug="app-1").exists()
    page.get_by_role("button", name="Import").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Import done").is_visible()
    _shot(page, "interop-done")
    assert Application.objects.filter(workspace=valmont, slug="app-1").exists()
