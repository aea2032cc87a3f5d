"""Files in and out: the entry points the CLI, the web app and the API share."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext

from mue.core.models import Workspace
from mue.core.registry import MapField, ObjectType
from mue.core.spreadsheet import safe_csv_value, set_xlsx_cell, write_xlsx_rows
from mue.interchange.exporter import dumps, export_workspace
from mue.interchange.importer import ImportReport, ProgressHook, import_document
from mue.interchange.problems import ImportFailed, Problem
from mue.interchange.sources import format_of, read_structured

ALLOWED_SHEET = "allowed values"


def import_file(path: Path, *, workspace: str | None = None, object_type: str | None = None,
                mapping: dict | None = None, actor: str = "system", channel: str = "import",
                progress: ProgressHook | None = None, origin: str | None = None,
                dry_run: bool = False) -> ImportReport:
    """Import a YAML/JSON map, a CSV/XLSX sheet of one object type, an ArchiMate exchange file (.xml) or,
    with ``origin="mercator"``, a Mercator database dump (.sql); all or nothing."""
    path = Path(path)
    name = path.name
    try:
        fmt = format_of(path)
    except ValueError as exc:
        raise ImportFailed([Problem(name, (0,), "", "", str(exc))]) from None
    if not path.exists():
        raise ImportFailed([Problem(name, (0,), "", "", gettext("file not found"))])
    if path.is_dir():
        raise ImportFailed([Problem(name, (0,), "", "", gettext("this is a directory, not a file"))])
    if fmt in ("archimate", "sql") or origin:
        return _import_foreign(path, fmt, origin, workspace=workspace, actor=actor, channel=channel,
                               progress=progress, dry_run=dry_run)
    if fmt in ("yaml", "json"):
        # Read and parsed within the limits of mue.core.inputs (size, nesting, YAML aliases).
        document, locate = read_structured(path, name, fmt)
        return import_document(document, source=name, locate=locate, workspace=workspace, progress=progress,
                               actor=actor, channel=channel)
    from mue.interchange.tabular import read_table

    if not workspace:
        raise ImportFailed([Problem(name, (0,), "", "", "a CSV or XLSX import needs a workspace (--workspace)")])
    table = read_table(path, fmt, object_type=object_type, mapping=mapping, workspace=workspace)
    from mue.interchange.workbook import import_tables

    return import_tables([table], source=name, workspace=workspace, progress=progress, actor=actor, channel=channel)


#: Tools whose files ``mue import --from TOOL`` reads, and the format of their files.
ORIGINS = {"archimate": "archimate", "mercator": "sql"}


def _import_foreign(path: Path, fmt: str, origin: str | None, **options) -> ImportReport:
    """Another tool's file, read into a map document by its reader, then the one pipeline."""
    from mue.core.inputs import InputRejected, read_bytes
    from mue.interchange.problems import rejected

    name = path.name
    origin = origin or ("archimate" if fmt == "archimate" else None)
    if origin not in ORIGINS:
        message = (gettext("a .sql file is read as a database dump of another tool: say which with --from mercator")
                   if origin is None else gettext("unknown origin '%(origin)s' (known: %(known)s)")
                   % {"origin": origin, "known": ", ".join(ORIGINS)})
        raise ImportFailed([Problem(name, (0,), "", "", message)])
    try:
        data = read_bytes(path, "map")
    except InputRejected as exc:
        raise rejected(name, exc) from None
    if origin == "archimate":
        from mue.interchange.archimate import import_archimate

        return import_archimate(data, source=name, **options)
    from mue.interchange.mercator import import_mercator

    return import_mercator(data, source=name, **options)


def import_upload(upload, *, workspace: str | None = None, object_type: str | None = None,
                  mapping: dict | None = None, actor: str = "system", channel: str = "web",
                  progress: ProgressHook | None = None) -> ImportReport:
    """Import an uploaded file (a Django ``UploadedFile``: upload pages, the API) as :func:`import_file` does.

    The upload is bounded first (its kind's size limit, :mod:`mue.core.inputs`), then copied to a
    private temporary directory under its own base name, so that the sheet's type can be read from
    the name and every reader works as for a file given on the command line.
    """
    import tempfile

    from mue.core.inputs import InputRejected, kind_of_format, limits
    from mue.interchange.problems import rejected

    name = Path(getattr(upload, "name", "") or "upload").name
    try:
        kind = kind_of_format(format_of(Path(name)))
    except ValueError as exc:
        raise ImportFailed([Problem(name, (0,), "", "", str(exc))]) from None
    limit = limits().size_for(kind)
    with tempfile.TemporaryDirectory(prefix="mue-upload-") as folder:
        target = Path(folder) / name
        try:
            _copy_within(upload, target, kind, limit)
        except InputRejected as exc:
            raise rejected(name, exc) from None
        return import_file(target, workspace=workspace, object_type=object_type, mapping=mapping, actor=actor,
                           channel=channel, progress=progress)


def _copy_within(upload, target: Path, kind: str, limit: int) -> None:
    """Write the upload to ``target``, refusing it as soon as it is larger than ``limit`` bytes."""
    from mue.core.inputs import read_bytes, too_big

    size = getattr(upload, "size", None)
    chunks = upload.chunks() if hasattr(upload, "chunks") and isinstance(size, int) and size <= limit else None
    if chunks is None:  # no declared size (or over it): read_bytes reads at most one byte past the limit
        target.write_bytes(read_bytes(upload, kind))
        return
    written = 0
    with target.open("wb") as fh:
        for chunk in chunks:
            written += len(chunk)
            if written > limit:  # the declared size was wrong
                raise too_big(kind, written, limit)
            fh.write(chunk)


def export_file(workspace: Workspace, fmt: str) -> bytes:
    """A whole workspace as YAML or JSON bytes, or as an ArchiMate exchange file (``archimate``)."""
    if fmt == "archimate":
        from mue.interchange.archimate.writer import export_archimate

        return export_archimate(workspace)
    return dumps(export_workspace(workspace), fmt)


# -- blank templates ---------------------------------------------------------------------------------


def template_file(otype: ObjectType, fmt: str, workspace: Any = None) -> bytes:
    """A blank sheet for one object type: CSV (header row) or XLSX (drop-downs, help, allowed values); with a
    workspace, its custom fields of the type have their columns."""
    from mue.interchange.tabular import columns_of

    columns = columns_of(otype, workspace)
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerow([safe_csv_value(key) for key, _mf in columns])
        return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read accents right
    if fmt != "xlsx":
        raise ValueError(fmt)
    return _xlsx_template(otype, columns)


def _xlsx_template(otype: ObjectType, columns: list[tuple[str, MapField]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from mue.interchange.normalize import choice_labels

    book = Workbook()
    sheet = book.active
    sheet.title = otype.key
    allowed = book.create_sheet(ALLOWED_SHEET)
    write_xlsx_rows(allowed, [[gettext("column"), gettext("value"), gettext("label (French)"),
                               gettext("label (English)")]])
    for cell in allowed[1]:
        cell.font = Font(bold=True)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for position, (key, mf) in enumerate(columns, start=1):
        letter = get_column_letter(position)
        cell = sheet.cell(row=1, column=position)
        set_xlsx_cell(cell, key)
        cell.font, cell.fill = bold, fill
        comment = Comment(_column_help(otype, key, mf), "Mue")
        comment.width, comment.height = 320, 140
        cell.comment = comment
        sheet.column_dimensions[letter].width = max(14, len(key) + 4)
        values = _allowed_values(mf, choice_labels)
        if not values:
            continue
        first = allowed.max_row + 1
        write_xlsx_rows(allowed, [[key, value, fr, en] for value, fr, en in values])
        listing = f"'{ALLOWED_SHEET}'!$B${first}:$B${allowed.max_row}"
        check = DataValidation(type="list", formula1=listing, allow_blank=True, errorStyle="warning",
                               showErrorMessage=True, error=gettext("Not one of the allowed values"))
        check.add(f"{letter}2:{letter}1048576")
        sheet.add_data_validation(check)
    for letter, width in zip("ABCD", (24, 22, 40, 40), strict=True):
        allowed.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _allowed_values(mf: MapField, choice_labels) -> list[tuple[object, str, str]]:
    """(value, French label, English label) of an enumeration or yes/no column; empty for others."""
    f = mf.field
    if f is None:
        return []
    if f.choices:
        return [(value, labels.get("fr", ""), labels.get("en", "")) for value, labels in choice_labels(f).items()]
    if isinstance(f, models.BooleanField):
        return [("yes", "oui", "yes"), ("no", "non", "no")]
    return []


def _column_help(otype: ObjectType, key: str, mf: MapField) -> str:
    """The comment on a header cell: label, help text, and how to fill it."""
    from mue.core.registry import registry
    from mue.interchange.normalize import is_country

    f = mf.field
    lines = [str(f.verbose_name) if f is not None else key]
    if f is not None and f.help_text:
        lines.append(str(f.help_text))
    if key == "slug":
        lines.append(gettext("Unique identifier; made from the name when empty."))
    elif key == "name" and not getattr(otype.model.Map, "endpoints", None):
        lines.append(gettext("Required."))
    if mf.kind == "ref":
        lines.append(gettext("Slug or name of a %(type)s.") % {"type": registry.by_singular(mf.target).label})
    elif mf.kind == "refs":
        lines.append(gettext("Slugs or names of %(types)s, separated by ';'.")
                     % {"types": registry.by_singular(mf.target).label_plural})
    elif mf.kind == "endpoint":
        lines.append(gettext("An application, or unit:SLUG, party:SLUG, asset:SLUG (slugs or names). Required."))
    elif mf.kind == "links":
        lines.append(gettext("Objects of any type as TYPE:SLUG separated by ';' (service:cantine)."))
    elif f is not None and f.choices:
        lines.append(gettext("One of the values of the sheet '%(sheet)s' (or its label).") % {"sheet": ALLOWED_SHEET})
    elif isinstance(f, models.BooleanField):
        lines.append(gettext("yes / no (oui / non)."))
    elif isinstance(f, models.DateField):
        lines.append(gettext("A date: YYYY-MM-DD or DD/MM/YYYY."))
    elif isinstance(f, models.IntegerField | models.DecimalField):
        lines.append(gettext("A number."))
    elif isinstance(f, models.JSONField):
        lines.append(gettext("Words separated by ';'."))
    elif is_country(f):
        lines.append(gettext("Country code (FR, DE, IE...) or name (France, Allemagne...)."))
    lines.append(gettext("Empty cell: unchanged; '-' clears the value."))
    return "\n".join(lines)


def template_languages() -> list[str]:
    """Languages a template's help can be written in."""
    from django.conf import settings

    return [code for code, _name in settings.LANGUAGES]


def template_in(otype: ObjectType, fmt: str, language: str, workspace: Any = None) -> bytes:
    """:func:`template_file` with its help text in ``language``."""
    with translation.override(language):
        return template_file(otype, fmt, workspace)
