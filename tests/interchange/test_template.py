"""Blank templates: derived from the registry, readable by Excel, and read back by the import."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from typer.testing import CliRunner

from mue.applications.models import Application
from mue.cli.app import ExitCode
from mue.cli.main import app
from mue.core.registry import registry
from mue.interchange.files import ALLOWED_SHEET, import_file, template_file
from mue.interchange.tabular import columns_of
from tests.helpers import database_state

runner = CliRunner()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_every_type_template_reimports_empty_without_error(db, workspace, tmp_path, fmt):
    before = database_state()
    for otype in registry:
        path = tmp_path / f"{otype.key}.{fmt}"
        path.write_bytes(template_file(otype, fmt))
        report = import_file(path, workspace=workspace.slug)
        assert not report.changed, otype.key
        assert report.notes == [], (otype.key, report.notes)
    assert database_state() == before


def test_templates_by_singular_name_read_back_by_type(db, workspace, tmp_path):
    # The type comes from the sheet's name (XLSX) or the file's name (CSV) when not given.
    otype = registry.lookup("application")
    path = tmp_path / "export-sans-nom.xlsx"
    path.write_bytes(template_file(otype, "xlsx"))
    assert import_file(path, workspace=workspace.slug).changed is False


def test_xlsx_template_has_headers_help_dropdowns_and_allowed_values():
    otype = registry["applications"]
    book = openpyxl.load_workbook(io.BytesIO(template_file(otype, "xlsx")))
    assert book.sheetnames == ["applications", ALLOWED_SHEET]
    sheet = book["applications"]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [key for key, _mf in columns_of(otype)]
    assert sheet.freeze_panes == "A2"
    assert all(cell.comment is not None for cell in sheet[1])
    assert "ISO 3166" in sheet.cell(1, headers.index("hosting_country") + 1).comment.text
    assert "party" in sheet.cell(1, headers.index("vendor") + 1).comment.text

    allowed = list(book[ALLOWED_SHEET].iter_rows(min_row=2, values_only=True))
    status = [(value, fr, en) for column, value, fr, en in allowed if column == "status"]
    assert [v for v, _fr, _en in status] == ["approved", "tolerated", "shadow", "banned", "retired"]
    assert all(fr and en for _v, fr, en in status)
    categories = {value: fr for column, value, fr, _en in allowed if column == "category"}
    assert categories["email"] == "Messagerie électronique"
    assert {v for column, v, _fr, _en in allowed if column == "mfa"} == {"yes", "no"}

    validated = {}
    for check in sheet.data_validations.dataValidation:
        column = str(check.sqref).split(":")[0].rstrip("0123456789")
        validated[headers[openpyxl.utils.column_index_from_string(column) - 1]] = check
    assert set(validated) == {"kind", "category", "status", "licence_model", "sso", "mfa"}
    assert validated["status"].type == "list"
    first, last = validated["status"].formula1.split("!")[1].replace("$", "").split(":")
    listed = [book[ALLOWED_SHEET][cell].value for cell in (first, last)]
    assert listed == ["approved", "retired"]


def test_group_and_endpoint_columns():
    assert "needs.availability" in [k for k, _ in columns_of(registry["services"])]
    flow_columns = [k for k, _ in columns_of(registry["flows"])]
    assert {"from", "to"} <= set(flow_columns)
    assert "about" in [k for k, _ in columns_of(registry["documents"])]


def test_csv_template_is_a_bom_prefixed_header():
    data = template_file(registry["services"], "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header == [key for key, _mf in columns_of(registry["services"])]


def test_filled_xlsx_template_imports(db, workspace, tmp_path):
    from mue.vendors.models import ExternalParty

    ExternalParty.objects.create(workspace=workspace, slug="editeur-x", name="Éditeur X")
    otype = registry["applications"]
    book = openpyxl.load_workbook(io.BytesIO(template_file(otype, "xlsx")))
    sheet = book["applications"]
    headers = [cell.value for cell in sheet[1]]
    row = {"slug": "portail", "name": "Portail Famille", "kind": "saas", "vendor": "editeur-x", "status": "approved",
           "end_of_support": dt.datetime(2027, 1, 1), "seats": 120, "mfa": "yes", "sso": "no",
           "hosting_country": "FR", "tags": "famille; enfance"}
    sheet.append([row.get(h) for h in headers])
    path = tmp_path / "applications.xlsx"
    book.save(path)
    report = import_file(path, workspace=workspace.slug)
    assert report.created["applications"] == 1
    app_ = Application.objects.get(workspace=workspace, slug="portail")
    assert (app_.kind, app_.vendor.slug, app_.seats, app_.mfa, app_.sso) == ("saas", "editeur-x", 120, True, False)
    assert app_.end_of_support == dt.date(2027, 1, 1)
    assert app_.tags == ["famille", "enfance"]


def test_cli_template_then_import(db, workspace, tmp_path):
    out = tmp_path / "applications.csv"
    result = runner.invoke(app, ["template", "application", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    with out.open("a", encoding="utf-8", newline="") as fh:
        headers = [key for key, _ in columns_of(registry["applications"])]
        values = {"name": "Portail Famille", "kind": "SaaS", "status": "Approuvé", "mfa": "Oui"}
        csv.writer(fh).writerow([values.get(h, "") for h in headers])
    result = runner.invoke(app, ["import", str(out), "--workspace", workspace.slug])
    assert result.exit_code == 0, result.output
    assert "1 created" in result.output
    output = " ".join(result.output.split())  # without the terminal's line wrapping
    assert "4 notes:" in output and "'Approuvé' read as 'approved'" in output
    created = Application.objects.get(workspace=workspace, slug="portail-famille")
    assert (created.kind, created.status, created.mfa) == ("saas", "approved", True)
    # the template is not overwritten by accident
    again = runner.invoke(app, ["template", "applications", "--format", "csv", "-o", str(out)])
    assert again.exit_code == ExitCode.USAGE
    assert runner.invoke(app, ["template", "nothing"]).exit_code == ExitCode.USAGE
    xlsx = tmp_path / "t.xlsx"
    assert runner.invoke(app, ["template", "services", "-o", str(xlsx), "-l", "en"]).exit_code == 0
    assert openpyxl.load_workbook(xlsx).sheetnames == ["services", ALLOWED_SHEET]
