"""Spreadsheet cells that a spreadsheet program will never run as a formula (OWASP "CSV injection").

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (``=HYPERLINK(...)``, ``-2+3+cmd|' /C calc'!A0``) when the
file is opened. Object names, descriptions and URLs come from users and from imported files, so an
export could carry such a cell to whoever opens it.

- CSV has no cell types: text that starts with one of these characters gets a ``'`` in front, as
  OWASP recommends; the importer (:func:`unquote_csv_value`) removes it again, so export → import
  gives the value back. Numbers are written as numbers (``-12`` stays ``-12``): only text is touched.
- XLSX has cell types: text is written as a string cell (type ``s``, also with the "quote prefix"
  style so that editing the cell in Excel keeps it text), never as a formula, and keeps its exact
  value. Numbers, dates and booleans stay typed cells.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"

_TYPED = (int, float, decimal.Decimal, datetime.date, datetime.time, datetime.timedelta)  # bool is an int


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would take ``text`` for a formula."""
    return text.startswith(FORMULA_STARTS)


def safe_csv_value(value: Any) -> Any:
    """A value ready for ``csv.writer``: text that looks like a formula gets a leading ``'``.

    ``None`` and numbers, dates and booleans are returned unchanged; anything else is written as
    its text, so it is checked as text.
    """
    if value is None or isinstance(value, _TYPED):
        return value
    text = value if isinstance(value, str) else str(value)
    return QUOTE + text if is_formula_like(text) else text


def unquote_csv_value(value: Any) -> Any:
    """The reverse of :func:`safe_csv_value`, for the CSV importer: ``'=A1`` -> ``=A1``.

    Only a quote followed by a formula character is removed, so ``'hello'`` or ``l'école`` stay.
    """
    if isinstance(value, str) and value.startswith(QUOTE) and is_formula_like(value[1:]):
        return value[1:]
    return value


def write_xlsx_rows(worksheet, rows: Iterable[Iterable[Any]], start_row: int | None = None) -> None:
    """Append ``rows`` to an openpyxl ``worksheet`` (after its last row, or from ``start_row``).

    Text is always a string cell, even ``=1+1``; other values keep their type.
    """
    row_number = start_row if start_row is not None else (worksheet.max_row + 1 if _has_cells(worksheet) else 1)
    for row in rows:
        for column, value in enumerate(row, start=1):
            set_xlsx_cell(worksheet.cell(row=row_number, column=column), value)
        row_number += 1


def set_xlsx_cell(cell, value: Any) -> None:
    """Put ``value`` in an openpyxl cell, text as a string cell that no spreadsheet evaluates."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or isinstance(value, _TYPED):
        cell.value = value
        return
    text = value if isinstance(value, str) else str(value)
    text = ILLEGAL_CHARACTERS_RE.sub("", text)  # control characters XML cannot hold (openpyxl refuses them)
    cell.value = text
    cell.data_type = "s"  # openpyxl makes "=..." a formula cell; text it is
    if is_formula_like(text):
        cell.quotePrefix = True  # Excel shows and keeps it as text when the cell is edited


def _has_cells(worksheet) -> bool:
    return worksheet.max_row > 1 or worksheet.max_column > 1 or worksheet.cell(row=1, column=1).value is not None
