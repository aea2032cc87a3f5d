"""CSV and XLSX sheets of one object type: reading a client's spreadsheet into a map document.

A sheet becomes the same document the YAML path builds (``{"applications": [items]}``) and goes
through the one import pipeline (:func:`mue.interchange.importer.import_document`), which does all
validation, references, the all-or-nothing transaction and the change log. What this module adds is
what spreadsheets need: finding the header row, matching columns to fields (by key, by English or
French label, or by a mapping), reading typed cells (:mod:`mue.interchange.normalize`), reporting
where a problem is as "row N" and the column the user wrote, and notes of every value it read
differently from how it was written. Blank templates are made by :func:`mue.interchange.files.template_file`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext

from mue.core import custom
from mue.core.inputs import CellError, InputRejected, UncachedFormula, XlsxBook, csv_rows, read_bytes
from mue.core.models import Workspace
from mue.core.registry import MapField, ObjectType, registry
from mue.interchange.identity import Row, apply_slug_rule, resolve_duplicates, skipped
from mue.interchange.mapping import IGNORE, PLACEHOLDER, check_mapping, empty_mapping, load_mapping
from mue.interchange.normalize import Converted, Names, Normalizer, Unreadable, fold
from mue.interchange.problems import ImportFailed, Problem, rejected, rows_text
from mue.interchange.sources import Locator, slugify

# Header words beyond field keys and labels, for the columns every type has.
HEADER_ALIASES = {
    "slug": ("identifiant", "id", "slug"),
    "name": ("nom", "libellé", "intitulé", "name", "title", "titre"),
    "tags": ("étiquettes", "mots clés", "labels"),
    "from": ("source", "origine", "de", "depuis", "émetteur"),
    "to": ("destination", "cible", "vers", "target", "destinataire"),
    "about": ("concerne", "objets", "objects", "sujets"),
}


def columns_of(otype: ObjectType, workspace: Any = None) -> list[tuple[str, MapField]]:
    """A type's spreadsheet columns: (column key, field), groups flattened as ``needs.availability``; with
    a workspace (object or id), its custom fields of the type follow as ``custom.<slug>``."""
    out: list[tuple[str, MapField]] = []
    for mf in otype.fields:
        if mf.kind == "group":
            out.extend((f"{mf.key}.{member.key}", member) for member in mf.members)
        elif mf.kind != "custom":
            out.append((mf.key, mf))
    if workspace is not None:
        out.extend((d.column, d.map_field()) for d in custom.definitions(workspace, otype.key))
    return out


def _header_index(otype: ObjectType, workspace: Any = None) -> dict[str, set[str]]:
    """Folded header words -> column keys they may mean (key, labels in English and French, aliases)."""
    index: dict[str, set[str]] = defaultdict(set)
    for key, mf in columns_of(otype, workspace):
        words = {key, key.rsplit(".", 1)[-1], *HEADER_ALIASES.get(key, ())}
        if key.startswith(custom.COLUMN_PREFIX):
            words.add(str(mf.field.verbose_name))  # a custom field's name is the workspace's own word
        elif mf.field is not None:
            for lang in ("en", "fr"):
                with translation.override(lang):
                    words.add(str(mf.field.verbose_name))
        for word in words:
            index[fold(word)].add(key)
    return index


@dataclass
class Column:
    """One column of the sheet and the field it fills."""

    index: int
    header: str
    key: str | None  # None: ignored
    mf: MapField | None = None

    @property
    def label(self) -> str:
        """How problems and notes name it: the header the user wrote, with the field when they differ."""
        if self.key is None or fold(self.header) == fold(self.key):
            return self.header
        return f"{self.header} ({self.key})"


@dataclass
class Table:
    """A sheet read into a map document, with what was noticed on the way."""

    source: str
    otype: ObjectType | None
    document: dict[str, Any]
    rows: list[int] = field(default_factory=list)  # spreadsheet row of each item
    columns: dict[str, Column] = field(default_factory=dict)  # column key -> column
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def locate(self, path: tuple) -> tuple[tuple, str]:
        """An importer error path (type_key, item_index, field, ...) -> ((row, column), "row N")."""
        if len(path) >= 2 and isinstance(path[1], int) and path[1] < len(self.rows):
            row = self.rows[path[1]]
            column = self.columns.get(_field_key(path))
            return (row, column.index + 1 if column else 0), gettext("row %(row)s") % {"row": row}
        return (0, 0), ""

    def relabel(self, problems: list[Problem]) -> list[Problem]:
        """Name fields in the importer's problems by the column header the user wrote."""
        out = []
        for p in problems:
            column = self.columns.get(p.field)
            out.append(Problem(p.file, p.sort_key, p.location, column.label, p.message) if column else p)
        return out

    def problem(self, row: int, column: Column | None, message: str) -> None:
        where = gettext("row %(row)s") % {"row": row} if row else ""
        self.problems.append(Problem(self.source, (row, column.index + 1 if column else 0), where,
                                     column.label if column else "", message))


def _field_key(path: tuple) -> str:
    return ".".join(str(p) for p in path[2:] if not isinstance(p, int))


# -- reading sheets ----------------------------------------------------------------------------------


def read_table(path: Path, fmt: str, object_type: str | None = None, mapping: dict | None = None,
               workspace: str | None = None, sheet: str | None = None) -> Table:
    """Read a CSV or XLSX sheet of one object type into a :class:`Table` (document, locate, notes).

    ``sheet`` names the XLSX sheet to read; without it, the sheet named like the type, else the first.
    """
    path = Path(path)
    mapping = check_mapping(mapping, "--map") if mapping else empty_mapping()
    notes: list[str] = []
    if fmt == "csv":
        sheet_names: list[str] = []
        rows = _csv_rows(path, path.name, notes)
    else:
        rows, sheet_names = _xlsx_rows(path, object_type or mapping["type"], sheet)
    otype = _object_type(path, object_type or mapping["type"], sheet_names)
    ws = Workspace.objects.filter(slug=workspace).values_list("id", flat=True).first() if workspace else None
    return read_rows(rows, path.name, otype, mapping, Names(ws), notes)


def read_rows(rows: list[tuple[int, list[Any]]], source: str, otype: ObjectType, mapping: dict, names: Names,
              notes: list[str] | None = None, in_form: bool = False) -> Table:
    """Rows already read from a sheet (row number, cells) into a :class:`Table`; ``mapping`` is checked.

    ``in_form``: the mapping comes from the import page's form, and messages say to fix it there
    (rather than with ``--map``).
    """
    reader = _SheetReader(source, otype, mapping, names)
    reader.in_form = in_form
    reader.table.notes.extend(notes or [])
    return reader.read(rows)


@dataclass
class Sheet:
    """One sheet of an uploaded file, before its type and mapping are chosen."""

    title: str
    rows: list[tuple[int, list[Any]]]
    otype: ObjectType | None  # the type its title names, if any

    @property
    def headers(self) -> list[str]:
        at = _header_position(self.rows)
        return [] if at is None else [str(c).strip() for c in self.rows[at][1] if not _empty(c)]

    @property
    def data_rows(self) -> int:
        at = _header_position(self.rows)
        return 0 if at is None else sum(1 for _n, cells in self.rows[at + 1:] if any(not _empty(c) for c in cells))


def read_sheets(path: Path, fmt: str, notes: list[str] | None = None) -> list[Sheet]:
    """Every sheet of a CSV (one) or XLSX file with its rows; the template's allowed-values sheet left out."""
    from mue.interchange.files import ALLOWED_SHEET

    path = Path(path)
    if fmt == "csv":
        return [Sheet(path.stem, _csv_rows(path, path.name, notes if notes is not None else []),
                      _type_named(path.stem))]
    sheets = []
    try:
        with XlsxBook(path) as book:  # read within the input limits, as a single sheet is
            for title in book.titles:
                if fold(title) != fold(ALLOWED_SHEET):
                    sheets.append(Sheet(title, book.rows(title), _type_named(title)))
    except InputRejected as exc:
        raise rejected(path.name, exc, "row") from None
    return sheets


def _type_named(word: str) -> ObjectType | None:
    for otype in registry:
        if fold(word) in {fold(otype.key), fold(otype.singular), fold(otype.label), fold(otype.label_plural)}:
            return otype
    return None


def _object_type(path: Path, name: str | None, sheet_names: list[str]) -> ObjectType:
    find = _type_named
    if name:
        found = find(name)
        if found is None:
            raise ImportFailed([Problem(path.name, (0,), "", "", gettext("unknown object type '%(name)s' (known: "
                                        "%(types)s)") % {"name": name, "types": ", ".join(registry.keys())})])
        return found
    for candidate in [*sheet_names[:1], path.stem]:
        found = find(candidate)
        if found is not None:
            return found
    raise ImportFailed([Problem(path.name, (0,), "", "", gettext(
        "which object type does this sheet hold? Say it with --type (%(types)s)")
        % {"types": ", ".join(registry.keys())})])


def _csv_rows(source: Path | bytes, name: str, notes: list[str]) -> list[tuple[int, list[Any]]]:
    """CSV records as (row number, cells), read within the input limits (:func:`mue.core.inputs.csv_rows`).

    ``source``: the file (its size is checked before it is read) or its bytes.
    """
    found: list[str] = []
    try:
        rows = csv_rows(read_bytes(source, "csv"), found)
    except InputRejected as exc:
        raise rejected(name, exc, "row") from None
    notes.extend(f"{name}: {note}" for note in found)
    return rows


def _xlsx_rows(path: Path, type_name: str | None,
               title: str | None = None) -> tuple[list[tuple[int, list[Any]]], list[str]]:
    """The rows of the sheet ``title``, else the one named like the type, else the first; and its name.

    Read within the input limits (:class:`mue.core.inputs.XlsxBook`: unpacked size, cells, formulas).
    """
    try:
        with XlsxBook(path) as book:
            titles = book.titles
            chosen = titles[0]
            wanted = {fold(w) for o in registry if type_name and fold(type_name) in {fold(o.key), fold(o.singular)}
                      for w in (o.key, o.singular, o.label, o.label_plural)}
            for candidate in titles:
                if title is not None:
                    if candidate == title:
                        chosen = candidate
                        break
                    continue
                if fold(candidate) in wanted or (not type_name and _names_a_type(candidate)):
                    chosen = candidate
                    break
            return book.rows(chosen), [chosen]
    except InputRejected as exc:
        raise rejected(path.name, exc, "row") from None


def _names_a_type(title: str) -> bool:
    return any(fold(title) in {fold(o.key), fold(o.singular), fold(o.label_plural)} for o in registry)


def _header_position(rows: list[tuple[int, list[Any]]]) -> int | None:
    """The header row: the first non-empty row, skipping a one-cell title above a wider table."""
    counts = [sum(not _empty(c) for c in cells) for _n, cells in rows]
    widest = max(counts[:30], default=0)
    if widest == 0:
        return None
    return next(i for i, count in enumerate(counts) if count >= min(2, widest))


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# How a column was matched to a field (see :func:`match_columns`).
MAPPED, RECOGNISED, IGNORED, IDENTITY = "mapped", "recognised", "ignored", "identity"
UNKNOWN, AMBIGUOUS, BAD_TARGET, TWICE = "unknown", "ambiguous", "bad-target", "twice"


@dataclass
class ColumnMatch:
    """What a header was read as: the field it fills (``key``), how, and the fields it might mean."""

    position: int
    header: str
    key: str | None
    how: str
    candidates: list[str] = field(default_factory=list)  # fields it may mean (ambiguous) or was guessed as
    target: str = ""  # the field the mapping names (bad-target)
    other: str = ""  # the other column giving the same field (twice)

    @property
    def ok(self) -> bool:
        return self.how in (MAPPED, RECOGNISED, IGNORED, IDENTITY)


def match_columns(otype: ObjectType, headers: list[Any], mapping: dict, workspace: Any = None) -> list[ColumnMatch]:
    """Each non-empty header matched to a field: by the mapping, else by key or label (English, French).

    A header the mapping's ``slug`` or ``skip_if`` names is read for that even when no field has it.
    What the importer would suggest for a header is in ``candidates`` even when the mapping overrides it.
    """
    mapped = {fold(k): v for k, v in mapping["columns"].items()}
    index = _header_index(otype, workspace)
    fields = dict(columns_of(otype, workspace))
    rule = mapping.get("slug") or ""
    identity = {fold(n) for n in (PLACEHOLDER.findall(rule) if "{" in rule else [rule]) if n}
    identity |= {fold(c) for c in mapping.get("skip_if") or {}}
    out: list[ColumnMatch] = []
    used: dict[str, ColumnMatch] = {}
    for position, header in enumerate(headers):
        if _empty(header):
            continue
        text = str(header).strip()
        guessed = sorted(index.get(fold(text), set()))
        if not guessed and is_custom_column(text):
            guessed = [text]  # a custom field the same file defines (an inventory read into a new workspace)
        if fold(text) in mapped:
            target = str(mapped[fold(text)]).strip()
            if target == IGNORE:
                match = ColumnMatch(position, text, None, IGNORED, guessed)
            elif target not in fields and not is_custom_column(target):
                match = ColumnMatch(position, text, None, BAD_TARGET, guessed, target=target)
            else:
                match = ColumnMatch(position, text, target, MAPPED, guessed)
        elif len(guessed) == 1:
            match = ColumnMatch(position, text, guessed[0], RECOGNISED, guessed)
        elif fold(text) in identity:
            match = ColumnMatch(position, text, None, IDENTITY, guessed)
        else:
            match = ColumnMatch(position, text, None, AMBIGUOUS if guessed else UNKNOWN, guessed)
        if match.key is not None:
            if match.key in used:
                match = ColumnMatch(position, text, None, TWICE, guessed, target=match.key,
                                    other=used[match.key].header)
            else:
                used[match.key] = match
        out.append(match)
    return out


class _SheetReader:
    """Turns the rows of one sheet into a :class:`Table`."""

    def __init__(self, source: str, otype: ObjectType, mapping: dict, names: Names):
        self.otype = otype
        self.mapping = mapping
        self.names = names
        self.normalizer = Normalizer(names)
        self.table = Table(source=source, otype=otype, document={otype.key: []})
        self.fields = dict(columns_of(otype, names.workspace_id))
        # (column label, note) -> rows, in first-seen order, so a note is said once for all its rows
        self.noted: dict[tuple[str, str], list[int]] = {}
        self.in_form = False

    def read(self, rows: list[tuple[int, list[Any]]]) -> Table:
        header_at = _header_position(rows)
        if header_at is None:
            self.table.problem(0, None, gettext("the sheet is empty: no header row"))
            return self.table
        header_row, headers = rows[header_at]
        if any(any(not _empty(c) for c in cells) for _n, cells in rows[:header_at]):
            self.table.notes.append(gettext("header read on row %(row)s; the rows above it are skipped")
                                    % {"row": header_row})
        columns = self._columns(header_row, headers)
        keep_cells = bool(self.mapping["slug"] or self.mapping["skip_if"])
        records: list[Row] = []
        headerless: dict[int, list[int]] = defaultdict(list)
        for number, cells in rows[header_at + 1:]:
            record = {}
            by_header = {}
            for index, cell in enumerate(cells):
                if _empty(cell):
                    continue
                value = cell.strip() if isinstance(cell, str) else cell
                column = columns.get(index)
                if column is None:
                    headerless[index].append(number)
                    continue
                if keep_cells:
                    by_header[fold(column.header)] = value
                if column.key is not None:
                    record[column.key] = value
            if record or by_header:
                records.append(Row(number, record, by_header))
        for index, numbers in sorted(headerless.items()):
            self.table.problem(header_row, Column(index, "", None), gettext(
                "column %(n)s has values (%(rows)s) but no header: give it one, or clear it")
                % {"n": index + 1, "rows": rows_text(numbers)})
        records = skipped(records, self.mapping["skip_if"], self.table.notes.append)
        records = [row for row in records if row.record]
        self._apply_value_mapping(records)
        apply_slug_rule(records, self.mapping["slug"], {fold(c.header) for c in columns.values()}, self._report)
        self._identify(records)
        records = resolve_duplicates(records, self.mapping["on_duplicate"], self.fields, self._report,
                                     self.table.notes.append)
        for row in records:
            self.table.rows.append(row.number)
            self.table.document[self.otype.key].append(self._item(row.number, row.record))
        self._apply_defaults()
        self._flush_notes()
        return self.table

    # -- columns --------------------------------------------------------------------------------

    def _columns(self, row: int, headers: list[Any]) -> dict[int, Column]:
        columns: dict[int, Column] = {}
        unknown_said = False
        known = ", ".join(self.fields)
        for match in match_columns(self.otype, headers, self.mapping, self.names.workspace_id):
            column = Column(match.position, match.header, match.key)
            columns[match.position] = column
            values = {"header": match.header, "target": match.target, "keys": " or ".join(match.candidates),
                      "type": self.otype.key, "known": known, "field": match.target,
                      "other": match.other}
            if match.how == BAD_TARGET:
                self.table.problem(row, column, gettext("mapped to unknown field '%(target)s' (fields of "
                                                        "%(type)s: %(known)s)") % values)
            elif match.how == AMBIGUOUS and self.in_form:
                self.table.problem(row, column, gettext("column '%(header)s' may mean %(keys)s: choose its field "
                                                        "in the table of columns") % values)
            elif match.how == AMBIGUOUS:
                self.table.problem(row, column, gettext("column '%(header)s' may mean %(keys)s: say which with --map")
                                   % values)
            elif match.how == UNKNOWN and self.in_form:
                self.table.problem(row, column, gettext("unknown column '%(header)s': choose the field it fills in "
                                                        "the table of columns, or ignore it") % values)
            elif match.how == UNKNOWN:
                message = gettext("unknown column '%(header)s': map it with --map \"%(header)s=FIELD\" "
                                  "(or \"%(header)s=-\" to ignore it)")
                if not unknown_said:  # the list of fields, once
                    message += gettext("; fields of %(type)s: %(known)s")
                    unknown_said = True
                self.table.problem(row, column, message % values)
            elif match.how == TWICE:
                self.table.problem(row, column, gettext("columns '%(other)s' and '%(header)s' both give '%(field)s'")
                                   % values)
            elif column.key is not None:
                column.mf = self.fields[column.key]
                self.table.columns[column.key] = column
        present = {fold(str(h)) for h in headers if not _empty(h)}
        for header in self.mapping["columns"]:
            if fold(header) not in present:
                self.table.notes.append(gettext("mapped column '%(header)s' is not in the file") % {"header": header})
        return columns

    def _report(self, number: int, key: str | None, message: str) -> None:
        """A problem of a row (``number`` 0: of the mapping) on the column of field ``key``."""
        column = self.table.columns.get(key) if key else None
        if column is None and key:
            column = Column(-1, key, None)
        self.table.problem(number, column, message)

    # -- values ---------------------------------------------------------------------------------

    def _apply_value_mapping(self, records: list[Row]) -> None:
        """The mapping's ``values: {field: {source value: value}}``, compared without case or accents."""
        for key, table in self.mapping["values"].items():
            if key not in self.fields:
                self.table.problem(0, None, gettext("mapping values: unknown field '%(field)s'") % {"field": key})
                continue
            folded = {fold(source): target for source, target in table.items()}
            for row in records:
                record = row.record
                if key in record and fold(record[key]) in folded:
                    record[key] = folded[fold(record[key])]
                    if record[key] is None:
                        record[key] = "null"

    def _identify(self, records: list[Row]) -> None:
        """Every item gets a slug: its own, an existing object's of the same name, or one made from its name."""
        if getattr(self.otype.model.Map, "endpoints", None):
            return  # flows: the importer derives slug and name from the endpoints
        derived: list[int] = []
        matched: list[int] = []
        example = None
        for row in records:
            number, record = row.number, row.record
            if "slug" in record:
                continue
            name = record.get("name")
            if name is None or isinstance(name, bool):
                continue
            name = str(name).strip()
            existing = self.names.by_name(self.otype.singular, name)
            if len(existing) > 1:
                self.table.problem(number, self.table.columns.get("name"), gettext(
                    "no slug, and several existing %(type)s are named %(name)s (%(slugs)s): give the slug")
                    % {"type": self.otype.label_plural, "name": repr(name), "slugs": ", ".join(sorted(existing))})
                continue
            if existing:
                record["slug"] = next(iter(existing))
                matched.append(number)
                continue
            record["slug"] = slugify(name)
            derived.append(number)
            example = example or (name, record["slug"])
        if matched:
            self.table.notes.append(gettext("%(rows)s: no slug given, the existing %(type)s of the same name updated")
                                    % {"rows": rows_text(matched), "type": self.otype.label_plural})
        if derived:
            self.table.notes.append(gettext("%(rows)s: no slug given, made from the name (e.g. '%(name)s' → "
                                            "'%(slug)s')") % {"rows": rows_text(derived), "name": example[0],
                                                              "slug": example[1]})
        for row in records:
            slug = row.record.get("slug")
            if isinstance(slug, str):
                self.names.add(self.otype.singular, slugify(slug), str(row.record.get("name") or ""))

    def _item(self, number: int, record: dict[str, Any]) -> dict[str, Any]:
        item: dict[str, Any] = {}
        for key, raw in record.items():
            column = self.table.columns.get(key)
            try:
                converted = (self.normalizer.convert(self.fields[key], raw) if key in self.fields
                             else _undefined_custom_value(raw))
            except Unreadable as exc:
                self.table.problem(number, column, str(exc))
                continue
            if converted.note and column is not None:
                self._note(number, column.label, converted.note)
            if converted.sets_field:
                _put(item, key, converted.value)
            for other, value in converted.also.items():  # a cell that says two things ("GPL-3.0": model, licence)
                if other not in record:
                    _put(item, other, value)
        return item

    def _apply_defaults(self) -> None:
        for key, raw in self.mapping["defaults"].items():
            if key not in self.fields:
                self.table.problem(0, None, gettext("mapping defaults: unknown field '%(field)s'") % {"field": key})
                continue
            if isinstance(raw, list):  # tags: [a, b] or references written as a YAML list
                raw = ";".join(str(v) for v in raw)
            try:
                converted: Converted = self.normalizer.convert(self.fields[key], raw)
            except Unreadable as exc:
                self.table.problem(0, None, gettext("mapping default of '%(field)s': %(error)s")
                                   % {"field": key, "error": exc})
                continue
            applied = []
            for number, item in zip(self.table.rows, self.table.document[self.otype.key], strict=True):
                head = key.split(".", 1)[0]
                if key not in item and not (head != key and key.split(".", 1)[1] in item.get(head, {})):
                    _put(item, key, converted.value)
                    applied.append(number)
            if applied:
                self.table.notes.append(gettext("%(rows)s: '%(field)s' not given, default %(value)s used")
                                        % {"rows": rows_text(applied), "field": key, "value": repr(converted.value)})

    # -- notes ----------------------------------------------------------------------------------

    def _note(self, row: int, label: str, note: str) -> None:
        self.noted.setdefault((label, note), []).append(row)

    def _flush_notes(self) -> None:
        for (label, note), rows in self.noted.items():
            self.table.notes.append(f"{rows_text(rows)}, '{label}': {note}")


_CUSTOM_COLUMN = re.compile(re.escape(custom.COLUMN_PREFIX) + custom.KEY_PATTERN[1:])


def is_custom_column(key: str) -> bool:
    """``custom.<slug>``: the column of a custom field, defined in the workspace or in the same file."""
    return bool(_CUSTOM_COLUMN.match(key))


def _undefined_custom_value(raw: Any) -> Converted:
    """A cell of a custom field the workspace does not have yet, as the map item holds it: the importer
    reads it once it knows the field (from the same file), and says if there is none."""
    if isinstance(raw, UncachedFormula | CellError):
        return Normalizer(Names(None)).convert(MapField("value", "value", field=_TEXT), raw)  # says why
    if isinstance(raw, dt.datetime):
        return Converted(raw.date().isoformat())
    if isinstance(raw, dt.date):
        return Converted(raw.isoformat())
    return Converted(raw)


_TEXT = models.TextField()


def _put(item: dict, key: str, value: Any) -> None:
    if "." in key:
        group, member = key.split(".", 1)
        item.setdefault(group, {})[member] = value
    else:
        item[key] = value


__all__ = ["ColumnMatch", "Locator", "Sheet", "Table", "check_mapping", "columns_of", "load_mapping", "match_columns",
           "read_rows", "read_sheets", "read_table", "rows_text"]
