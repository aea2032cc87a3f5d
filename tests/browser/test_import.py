"""Import in the browser (issue #11.1): the Valmont spreadsheet export with a column renamed, the
mapping fixed in the form, the preview shows the problems, the import succeeds, re-importing says
unchanged."""

from __future__ import annotations

import io
import os
import re

import openpyxl
import pytest

from mue.applications.models import Application
from tests.browser.helpers import assert_accessible, log_in, save_shot, valmont_with_owner

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-password-1"
SHOTS = os.environ.get("MUE_IMPORT_SHOTS")  # a folder: the steps are also saved there as PNG, to look at


@pytest.fixture
def valmont(db):
    return valmont_with_owner("camille", PASSWORD)


def _shot(page, name: str) -> None:
    save_shot(page, SHOTS, name)


def _edited_export(page, base_url: str) -> bytes:
    """The applications list exported as XLSX by the list page, "status" renamed and two cells changed."""
    response = page.request.get(f"{base_url}/w/valmont/applications/export.xlsx")
    assert response.ok
    book = openpyxl.load_workbook(io.BytesIO(response.body()))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("slug")].value == "portail-famille":
            row[header.index("status")].value = "R"
            row[header.index("version")].value = "4.2"
    sheet.cell(row=1, column=header.index("status") + 1).value = "Statut SI"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(page, base_url: str, data: bytes) -> None:
    page.goto(f"{base_url}/w/valmont/import/")
    page.set_input_files("#import-file", files=[{"name": "applications.xlsx", "mimeType":
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "buffer": data}])
    page.get_by_role("button", name="Read the file").click()
    page.wait_for_url(re.compile(r"/w/valmont/import/\d+/$"))


def _field_of(page, header: str):
    return page.get_by_label(f"Field of the column {header}")


def test_import_the_valmont_export_with_a_renamed_column(page, base_url, valmont):
    log_in(page, base_url, "camille", PASSWORD)
    page.goto(f"{base_url}/w/valmont/")
    page.get_by_role("link", name="Import", exact=True).click()
    assert_accessible(page)
    data = _edited_export(page, base_url)
    _upload(page, base_url, data)
    _shot(page, "1-sheets")
    # The renamed column is not recognised; the others are.
    row = page.locator("[data-mue-columns] tr", has=page.locator("th", has_text="Statut SI"))
    assert "not recognised" in row.inner_text()
    assert "recognised by its header" in page.locator("[data-mue-columns] tr", has=page.locator(
        "th", has_text=re.compile("^name$"))).inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="Preview").first.click()
    problems = page.locator("[data-mue-problems]")
    assert "unknown column 'Statut SI'" in problems.inner_text()
    _shot(page, "2-problems")

    # Fix the mapping in the form: the column is the status.
    _field_of(page, "Statut SI").select_option("status")
    page.get_by_role("button", name="Preview").first.click()
    text = page.locator("[data-mue-problems]").inner_text()
    assert "'R'" in text and "Statut SI (status)" in text and re.search(r"row \d+", text)
    # ... and "R" means approved.
    page.get_by_label("What R becomes").select_option("approved")
    _shot(page, "3-values")
    page.get_by_role("button", name="Preview").first.click()
    summary = page.locator("[data-mue-summary]").inner_text()
    assert re.search(r"0 created,\s+1 updated", summary), summary
    assert "portail-famille" in page.locator("#result").inner_text()
    assert Application.objects.get(workspace=valmont, slug="portail-famille").version != "4.2"
    _shot(page, "4-preview")
    assert_accessible(page)

    page.get_by_label("Save this mapping as").fill("Export du registre")
    page.get_by_role("button", name="Save the mapping").click()
    assert "saved in the workspace" in page.locator(".mue-messages").inner_text()

    page.locator("#result").get_by_role("button", name="Import").click()
    assert "Import done" in page.locator("#result").inner_text()
    assert Application.objects.get(workspace=valmont, slug="portail-famille").version == "4.2"
    _shot(page, "5-done")

    # The same file again, read with the saved mapping (applied as the only one of its type): unchanged.
    _upload(page, base_url, data)
    assert _field_of(page, "Statut SI").input_value() == "status"
    assert page.get_by_label("What R becomes").input_value() == "approved"
    page.get_by_role("button", name="Preview").first.click()
    assert "everything is unchanged" in page.locator("#result").inner_text()
    assert page.locator("#result").get_by_role("button", name="Import").count() == 0

    page.goto(f"{base_url}/w/valmont/import/mappings/")
    assert "Export du registre" in page.locator("table").inner_text()
    assert_accessible(page)
