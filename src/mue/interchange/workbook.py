"""Several sheets imported as one: one document, one validation, one transaction (all or nothing).

A workbook whose sheets hold applications, services and units is one import: a reference from a
service to an application of another sheet resolves, and a problem on any sheet writes nothing.
Each sheet was read into a :class:`~mue.interchange.tabular.Table` (one type per sheet); their
documents are put together and go through :func:`~mue.interchange.importer.import_document`, and
every problem the importer finds is placed back on its sheet, row and column.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from mue.interchange.importer import ImportReport, MapImport, ProgressHook, import_document
from mue.interchange.problems import ImportFailed, Problem
from mue.interchange.tabular import Table


class Tables:
    """Tables of distinct types as one document, with a locator and relabelling that know each table."""

    def __init__(self, tables: list[Table], source: str):
        self.tables = tables
        self.source = source
        self.by_key: dict[str, tuple[int, Table]] = {}
        problems: list[Problem] = []
        for position, table in enumerate(tables):
            key = table.otype.key
            if key in self.by_key:
                problems.append(Problem(table.source, (position, 0), "", "", gettext(
                    "two sheets hold %(type)s (%(a)s and %(b)s): one sheet per type")
                    % {"type": table.otype.label_plural, "a": self.by_key[key][1].source, "b": table.source}))
                continue
            self.by_key[key] = (position, table)
            for p in table.problems:
                where = self._where(table, p.location) if p.location else self._where(table, "", sheet_only=True)
                problems.append(Problem(source, (position, *p.sort_key), where, p.field, p.message))
        self.problems = problems
        self.document: dict[str, Any] = {key: table.document[key] for key, (_p, table) in self.by_key.items()}

    def locate(self, path: tuple) -> tuple[tuple, str]:
        entry = self.by_key.get(path[0]) if path else None
        if entry is None:
            return (-1, 0, 0), ""
        position, table = entry
        sort_key, where = table.locate(path)
        return (position, *sort_key), self._where(table, where)

    def _where(self, table: Table, where: str, sheet_only: bool = False) -> str:
        if len(self.tables) == 1:
            return where
        if sheet_only:
            return gettext("sheet %(sheet)s") % {"sheet": table.source}
        if not where:
            return where
        return gettext("sheet %(sheet)s, %(where)s") % {"sheet": table.source, "where": where}

    def relabel(self, problems: list[Problem]) -> list[Problem]:
        """The importer's problems named by the column each table's user wrote, and on their file."""
        out = []
        for p in problems:
            position = p.sort_key[0] if p.sort_key and isinstance(p.sort_key[0], int) else -1
            table = self.tables[position] if 0 <= position < len(self.tables) else None
            if table is None:
                out.append(Problem(self.source, p.sort_key, p.location, p.field, p.message))
                continue
            column = table.columns.get(p.field)
            out.append(Problem(self.source, p.sort_key, p.location, column.label if column else p.field, p.message))
        return out


def import_tables(tables: list[Table], *, source: str, workspace: str, actor: str = "system",
                  channel: str = "import", progress: ProgressHook | None = None,
                  dry_run: bool = False) -> ImportReport:
    """Import the sheets' tables together, all or nothing; raise :class:`ImportFailed` with every problem.

    ``dry_run`` previews: the report is what the import would do, nothing is written.
    """
    combined = Tables(tables, source)
    if combined.problems:
        # Cells that could not be read were left out of the document; validate the rest too so the
        # person gets every problem at once, then write nothing.
        problems = list(combined.problems)
        try:
            MapImport(combined.document, source, combined.locate, workspace).validate()
        except ImportFailed as exc:
            # A cell already reported ("'abc' is not a number") was left out; what the importer then
            # says of the same cell ("'seats' is required") is a consequence, not news.
            said = {(p.location, p.field) for p in problems}
            problems.extend(p for p in combined.relabel(exc.problems) if (p.location, p.field) not in said)
        raise ImportFailed(problems)
    try:
        report = import_document(combined.document, source=source, locate=combined.locate, workspace=workspace,
                                 progress=progress, actor=actor, channel=channel, dry_run=dry_run,
                                 note_defaults=True)
    except ImportFailed as exc:
        raise ImportFailed(combined.relabel(exc.problems)) from None
    # What the sheet readers noticed first, then what the pipeline did (defaults, tags to merge).
    report.notes = [*(note for table in tables for note in _sheet_notes(table, len(tables) > 1)), *report.notes]
    return report


def _sheet_notes(table: Table, several: bool) -> list[str]:
    if not several:
        return list(table.notes)
    return [gettext("sheet %(sheet)s: %(note)s") % {"sheet": table.source, "note": note} for note in table.notes]


__all__ = ["Tables", "import_tables"]
