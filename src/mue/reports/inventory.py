"""The XLSX inventory: the whole register of a workspace, one sheet per type, that a client edits
and gives back.

Each sheet has the columns of the type's template (``mue template``) and the values written the way
the importer reads them (:mod:`mue.interchange.sheets`), text cells that no spreadsheet runs as a
formula (:mod:`mue.core.spreadsheet`). Reading it back goes through the one import pipeline: every
sheet is read as the importer reads a sheet of that type, the sheets make one map document, and
that document is validated and written all or nothing — an unchanged inventory changes nothing.
"""

from __future__ import annotations

import io
from pathlib import Path

from mue.core.models import Workspace
from mue.core.registry import registry
from mue.interchange.exporter import export_workspace
from mue.interchange.importer import ImportReport, import_document
from mue.interchange.problems import ImportFailed, Problem


def inventory_xlsx(workspace: Workspace) -> bytes:
    """The workspace as a workbook of one sheet per type (types without objects included, empty)."""
    from openpyxl import Workbook

    from mue.interchange.sheets import write_type_sheet

    document = export_workspace(workspace)
    book = Workbook()
    book.remove(book.active)
    for otype in registry:
        write_type_sheet(book.create_sheet(), otype, document.get(otype.key, []), workspace)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_inventory(path: Path, workspace: Workspace, *, actor: str = "system",
                     channel: str = "import") -> ImportReport:
    """Read an inventory back into ``workspace``: every type sheet, one validation, one transaction."""
    import openpyxl

    from mue.interchange.tabular import read_table

    path = Path(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True)
        titles = set(book.sheetnames)
        book.close()
    except Exception as exc:  # openpyxl raises several kinds for a file that is not a workbook
        raise ImportFailed([Problem(path.name, (0,), "", "", str(exc))]) from None
    document: dict = {"workspace": {"slug": workspace.slug, "name": workspace.name}}
    tables = {}
    problems: list[Problem] = []
    for otype in registry:
        if otype.key not in titles:
            continue
        table = read_table(path, "xlsx", object_type=otype.key, workspace=workspace.slug)
        problems.extend(Problem(f"{p.file} [{otype.key}]", p.sort_key, p.location, p.field, p.message)
                        for p in table.problems)
        tables[otype.key] = table
        document[otype.key] = table.document.get(otype.key, [])
    if problems:
        raise ImportFailed(problems)

    def locate(where: tuple) -> tuple[tuple, str]:
        table = tables.get(where[0]) if where else None
        if table is None:
            return (0, 0), ""
        position, label = table.locate(where)
        return position, f"{where[0]}, {label}" if label else where[0]

    try:
        return import_document(document, source=path.name, locate=locate, workspace=workspace.slug, actor=actor,
                               channel=channel)
    except ImportFailed as exc:
        relabelled = []
        for p in exc.problems:
            table = next((t for key, t in tables.items() if p.location.startswith(key)), None)
            relabelled.extend(table.relabel([p]) if table else [p])
        raise ImportFailed(relabelled) from None
