"""Objects of one type as a filled spreadsheet (CSV or XLSX) with the template's columns.

What a list page exports: the same columns as ``mue template`` (the importer's column keys), the
values written the way the importer reads them (lists joined by ``;``, yes/no), so a client can edit
the sheet and import it back. Cells a spreadsheet would run as a formula are neutralised
(:mod:`mue.core.spreadsheet`).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from mue.core.registry import ObjectType
from mue.interchange.tabular import columns_of


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return value


def sheet_rows(otype: ObjectType, items: list[dict[str, Any]],
               workspace: Any = None) -> tuple[list[str], list[list[Any]]]:
    """The header (column keys, the workspace's custom fields included) and one row per map item."""
    columns = [key for key, _mf in columns_of(otype, workspace)]
    rows = []
    for item in items:
        row = []
        for key in columns:
            group, _dot, member = key.partition(".")
            value = item.get(group, {}).get(member) if member else item.get(key)
            row.append(_cell(value))
        rows.append(row)
    return columns, rows


def sheet_bytes(otype: ObjectType, items: list[dict[str, Any]], fmt: str, workspace: Any = None) -> bytes:
    from mue.core.spreadsheet import safe_csv_value

    if fmt == "csv":
        header, rows = sheet_rows(otype, items, workspace)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else safe_csv_value(v) for v in row])
        return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read accents right
    if fmt != "xlsx":
        raise ValueError(fmt)
    from openpyxl import Workbook

    book = Workbook()
    write_type_sheet(book.active, otype, items, workspace)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_type_sheet(sheet, otype: ObjectType, items: list[dict[str, Any]], workspace: Any = None) -> None:
    """Fill an openpyxl worksheet with one type's objects: named like the type, bold frozen header.

    Shared by the list pages' export (one sheet) and the XLSX inventory (one sheet per type).
    """
    from openpyxl.styles import Font

    from mue.core.spreadsheet import write_xlsx_rows

    header, rows = sheet_rows(otype, items, workspace)
    sheet.title = otype.key
    write_xlsx_rows(sheet, [header, *rows])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
