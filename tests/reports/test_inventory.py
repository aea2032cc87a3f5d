"""The XLSX inventory: one sheet per type with the template's columns; read back, nothing changes."""

from __future__ import annotations

import io

import openpyxl
import pytest

from mue.core.models import ChangeLogEntry
from mue.core.registry import registry
from mue.core.spreadsheet import set_xlsx_cell
from mue.interchange.exporter import export_workspace
from mue.interchange.problems import ImportFailed
from mue.interchange.tabular import columns_of
from mue.reports.inventory import import_inventory, inventory_xlsx


def test_one_sheet_per_type_with_the_template_columns(valmont):
    book = openpyxl.load_workbook(io.BytesIO(inventory_xlsx(valmont)))
    assert book.sheetnames == [otype.key for otype in registry]
    for otype in registry:
        header = [c.value for c in book[otype.key][1]]
        assert header == [key for key, _mf in columns_of(otype, valmont)]  # custom fields included
    names = [row[1] for row in book["services"].iter_rows(min_row=2, values_only=True)]
    assert "État civil" in " ".join(str(n) for n in names)


def test_round_trip_changes_nothing(valmont, tmp_path):
    path = tmp_path / "inventaire.xlsx"
    path.write_bytes(inventory_xlsx(valmont))
    before, logged = export_workspace(valmont), ChangeLogEntry.objects.count()
    report = import_inventory(path, valmont)
    assert export_workspace(valmont) == before
    assert ChangeLogEntry.objects.count() == logged, report.summary()


def test_an_edit_in_the_sheet_is_imported(valmont, tmp_path):
    path = tmp_path / "inventaire.xlsx"
    path.write_bytes(inventory_xlsx(valmont))
    book = openpyxl.load_workbook(path)
    sheet = book["services"]
    header = [c.value for c in sheet[1]]
    # Text that looks like a formula, as a client's spreadsheet keeps it (a text cell).
    set_xlsx_cell(sheet.cell(row=2, column=header.index("name") + 1), '=HYPERLINK("x")')
    book.save(path)
    import_inventory(path, valmont)
    slug = sheet.cell(row=2, column=header.index("slug") + 1).value
    from mue.services.models import Service

    assert Service.objects.get(workspace=valmont, slug=slug).name == '=HYPERLINK("x")'
    # Written back, the formula-like name stays text.
    again = openpyxl.load_workbook(io.BytesIO(inventory_xlsx(valmont)))["services"]
    cell = next(r for r in again.iter_rows(min_row=2) if r[header.index("slug")].value == slug)[header.index("name")]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("x")'


def test_a_bad_sheet_writes_nothing(valmont, tmp_path):
    path = tmp_path / "inventaire.xlsx"
    path.write_bytes(inventory_xlsx(valmont))
    book = openpyxl.load_workbook(path)
    sheet = book["applications"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("seats") + 1).value = "beaucoup"
    sheet.cell(row=3, column=header.index("name") + 1).value = "Renommée"
    book.save(path)
    before = export_workspace(valmont)
    with pytest.raises(ImportFailed) as exc:
        import_inventory(path, valmont)
    assert "applications" in str(exc.value) and "beaucoup" in str(exc.value)
    assert export_workspace(valmont) == before


def test_inventory_command_round_trip(valmont, tmp_path):
    from typer.testing import CliRunner

    from mue.cli.main import app

    path = tmp_path / "inv.xlsx"
    runner = CliRunner()
    result = runner.invoke(app, ["inventory", "-w", "valmont", "-o", str(path)])
    assert result.exit_code == 0, result.output
    before = export_workspace(valmont)
    result = runner.invoke(app, ["inventory", "-w", "valmont", "--read", str(path)])
    assert result.exit_code == 0, result.output
    assert export_workspace(valmont) == before
    path.write_bytes(b"PK\x03\x04 truncated")
    result = runner.invoke(app, ["inventory", "-w", "valmont", "--read", str(path)])
    assert result.exit_code == 3 and "nothing written" in result.output
