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

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import gettext

from mue.core.inputs import InputRejected, XlsxBook, csv_rows, read_bytes
from mue.core.models import Workspace
from mue.core.registry import MapField, ObjectType, registry
from mue.interchange.normalize import Converted, Names, Normalizer, Unreadable, fold
from mue.interchange.problems import ImportFailed, Problem, rejected
from mue.interchange.problems import rows_text as _rows_text
from mue.interchange.sources import Locator, read_structured, slugify

IGNORE = "-"  # a column mapped to "-" is skipped
MAPPING_KEYS = ("type", "columns", "values", "defaults")
# Header words beyond field keys and labels, for the columns every type has.
HEADER_ALIASES = {
    "slug": ("identifiant", "id", "slug"),
    "name": ("nom", "libellé", "intitulé", "name", "title", "titre"),
    "tags": ("étiquettes", "mots clés", "labels"),
    "from": ("source", "origine", "de", "depuis", "émetteur"),
    "to": ("destination", "cible", "vers", "target", "destinataire"),
    "about": ("concerne", "objets", "objects", "sujets"),
}


def columns_of(otype: ObjectType) -> list[tuple[str, MapField]]:
    """A type's spreadsheet columns: (column key, field), groups flattened as ``needs.availability``."""
    out: list[tuple[str, MapField]] = []
    for mf in otype.fields:
        if mf.kind == "group":
            out.extend((f"{mf.key}.{member.key}", member) for member in mf.members)
        else:
            out.append((mf.key, mf))
    return out


def _header_index(otype: ObjectType) -> dict[str, set[str]]:
    """Folded header words -> column keys they may mean (key, labels in English and French, aliases)."""
    index: dict[str, set[str]] = defaultdict(set)
    for key, mf in columns_of(otype):
        words = {key, key.rsplit(".", 1)[-1], *HEADER_ALIASES.get(key, ())}
        if mf.field is not None:
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


# -- mapping files -----------------------------------------------------------------------------------


def load_mapping(path: Path) -> dict[str, Any]:
    """A saved column mapping (YAML): ``type``, ``columns: {header: field}``, ``values``, ``defaults``."""
    path = Path(path)
    if not path.exists():
        raise ImportFailed([Problem(path.name, (0,), "", "", gettext("mapping file not found"))])
    document, _locate = read_structured(path, path.name, "yaml", kind="mapping")
    return check_mapping(document, path.name)


def check_mapping(document: Any, source: str = "mapping") -> dict[str, Any]:
    """Check a mapping's shape; raise :class:`ImportFailed` naming what is wrong."""
    problems = []

    def bad(key: str, message: str) -> None:
        problems.append(Problem(source, (0,), "", key, message))

    if not isinstance(document, dict):
        raise ImportFailed([Problem(source, (0,), "", "", gettext("a mapping file holds type, columns, values, "
                                                                  "defaults"))])
    for key in document:
        if key not in MAPPING_KEYS:
            bad(str(key), gettext("unknown key (known: %(keys)s)") % {"keys": ", ".join(MAPPING_KEYS)})
    mapping = {"type": document.get("type"), "columns": document.get("columns") or {},
               "values": document.get("values") or {}, "defaults": document.get("defaults") or {}}
    if mapping["type"] is not None and not isinstance(mapping["type"], str):
        bad("type", gettext("must be an object type name (applications, services...)"))
    for key in ("columns", "values", "defaults"):
        if not isinstance(mapping[key], dict):
            bad(key, gettext("must be a mapping"))
    if isinstance(mapping["columns"], dict):
        mapping["columns"] = {str(k): IGNORE if v is None else v for k, v in mapping["columns"].items()}
        for header, target in mapping["columns"].items():
            if not isinstance(target, str):
                bad("columns", gettext("column %(header)s: the field must be text") % {"header": repr(header)})
    if isinstance(mapping["values"], dict):
        for key, table in mapping["values"].items():
            if not isinstance(table, dict):
                bad("values", gettext("%(field)s: must map source values to values") % {"field": key})
    if problems:
        raise ImportFailed(problems)
    return mapping


# -- reading sheets ----------------------------------------------------------------------------------


def read_table(path: Path, fmt: str, object_type: str | None = None, mapping: dict | None = None,
               workspace: str | None = None) -> Table:
    """Read a CSV or XLSX sheet of one object type into a :class:`Table` (document, locate, notes)."""
    path = Path(path)
    mapping = check_mapping(mapping, "--map") if mapping else {"type": None, "columns": {}, "values": {},
                                                                "defaults": {}}
    notes: list[str] = []
    if fmt == "csv":
        sheet_names: list[str] = []
        rows = _csv_rows(path, path.name, notes)
    else:
        rows, sheet_names = _xlsx_rows(path, object_type or mapping["type"])
    otype = _object_type(path, object_type or mapping["type"], sheet_names)
    ws = Workspace.objects.filter(slug=workspace).values_list("id", flat=True).first() if workspace else None
    reader = _SheetReader(path.name, otype, mapping, Names(ws))
    reader.table.notes.extend(notes)
    return reader.read(rows)


def _object_type(path: Path, name: str | None, sheet_names: list[str]) -> ObjectType:
    def find(word: str) -> ObjectType | None:
        for otype in registry:
            if fold(word) in {fold(otype.key), fold(otype.singular), fold(otype.label), fold(otype.label_plural)}:
                return otype
        return None

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


class _SheetReader:
    """Turns the rows of one sheet into a :class:`Table`."""

    def __init__(self, source: str, otype: ObjectType, mapping: dict, names: Names):
        self.otype = otype
        self.mapping = mapping
        self.names = names
        self.normalizer = Normalizer(names)
        self.table = Table(source=source, otype=otype, document={otype.key: []})
        self.fields = dict(columns_of(otype))
        # (column label, note) -> rows, in first-seen order, so a note is said once for all its rows
        self.noted: dict[tuple[str, str], list[int]] = {}

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
        records = []
        headerless: dict[int, list[int]] = defaultdict(list)
        for number, cells in rows[header_at + 1:]:
            record = {}
            for index, cell in enumerate(cells):
                if _empty(cell):
                    continue
                column = columns.get(index)
                if column is None:
                    headerless[index].append(number)
                elif column.key is not None:
                    record[column.key] = cell.strip() if isinstance(cell, str) else cell
            if record:
                records.append((number, record))
        for index, numbers in sorted(headerless.items()):
            self.table.problem(header_row, Column(index, "", None), gettext(
                "column %(n)s has values (%(rows)s) but no header: give it one, or clear it")
                % {"n": index + 1, "rows": _rows_text(numbers)})
        self._apply_value_mapping(records)
        self._identify(records)
        for number, record in records:
            self.table.rows.append(number)
            self.table.document[self.otype.key].append(self._item(number, record))
        self._apply_defaults()
        self._flush_notes()
        return self.table

    # -- columns --------------------------------------------------------------------------------

    def _columns(self, row: int, headers: list[Any]) -> dict[int, Column]:
        mapped = {fold(k): v for k, v in self.mapping["columns"].items()}
        index = _header_index(self.otype)
        known = ", ".join(self.fields)
        columns: dict[int, Column] = {}
        used: dict[str, Column] = {}
        unknown_said = False
        for position, header in enumerate(headers):
            if _empty(header):
                continue
            text = str(header).strip()
            column = Column(position, text, None)
            if fold(text) in mapped:
                target = mapped[fold(text)].strip()
                if target != IGNORE and target not in self.fields:
                    self.table.problem(row, column, gettext("mapped to unknown field '%(target)s' (fields of "
                                                            "%(type)s: %(known)s)")
                                       % {"target": target, "type": self.otype.key, "known": known})
                    columns[position] = column
                    continue
                column.key = None if target == IGNORE else target
            else:
                keys = index.get(fold(text), set())
                if len(keys) != 1:
                    if keys:
                        message = gettext("column '%(header)s' may mean %(keys)s: say which with --map")
                    else:
                        message = gettext("unknown column '%(header)s': map it with --map \"%(header)s=FIELD\" "
                                          "(or \"%(header)s=-\" to ignore it)")
                        if not unknown_said:  # the list of fields, once
                            message += gettext("; fields of %(type)s: %(known)s")
                            unknown_said = True
                    self.table.problem(row, column, message % {"header": text, "keys": " or ".join(sorted(keys)),
                                                               "type": self.otype.key, "known": known})
                    columns[position] = column
                    continue
                column.key = next(iter(keys))
            if column.key is not None:
                if column.key in used:
                    self.table.problem(row, column, gettext("columns '%(a)s' and '%(b)s' both give '%(field)s'")
                                       % {"a": used[column.key].header, "b": text, "field": column.key})
                    column.key = None
                    columns[position] = column
                    continue
                column.mf = self.fields[column.key]
                used[column.key] = column
                self.table.columns[column.key] = column
            columns[position] = column
        present = {fold(str(h)) for h in headers if not _empty(h)}
        for header in self.mapping["columns"]:
            if fold(header) not in present:
                self.table.notes.append(gettext("mapped column '%(header)s' is not in the file") % {"header": header})
        return columns

    # -- values ---------------------------------------------------------------------------------

    def _apply_value_mapping(self, records: list[tuple[int, dict]]) -> None:
        """The mapping's ``values: {field: {source value: value}}``, compared without case or accents."""
        for key, table in self.mapping["values"].items():
            if key not in self.fields:
                self.table.problem(0, None, gettext("mapping values: unknown field '%(field)s'") % {"field": key})
                continue
            folded = {fold(source): target for source, target in table.items()}
            for _number, record in records:
                if key in record and fold(record[key]) in folded:
                    record[key] = folded[fold(record[key])]
                    if record[key] is None:
                        record[key] = "null"

    def _identify(self, records: list[tuple[int, dict]]) -> None:
        """Every item gets a slug: its own, an existing object's of the same name, or one made from its name."""
        if getattr(self.otype.model.Map, "endpoints", None):
            return  # flows: the importer derives slug and name from the endpoints
        derived: list[int] = []
        matched: list[int] = []
        example = None
        for number, record in records:
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
                                    % {"rows": _rows_text(matched), "type": self.otype.label_plural})
        if derived:
            self.table.notes.append(gettext("%(rows)s: no slug given, made from the name (e.g. '%(name)s' → "
                                            "'%(slug)s')") % {"rows": _rows_text(derived), "name": example[0],
                                                              "slug": example[1]})
        for _number, record in records:
            slug = record.get("slug")
            if isinstance(slug, str):
                self.names.add(self.otype.singular, slugify(slug), str(record.get("name") or ""))

    def _item(self, number: int, record: dict[str, Any]) -> dict[str, Any]:
        item: dict[str, Any] = {}
        for key, raw in record.items():
            column = self.table.columns.get(key)
            try:
                converted = self.normalizer.convert(self.fields[key], raw)
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
                                        % {"rows": _rows_text(applied), "field": key, "value": repr(converted.value)})

    # -- notes ----------------------------------------------------------------------------------

    def _note(self, row: int, label: str, note: str) -> None:
        self.noted.setdefault((label, note), []).append(row)

    def _flush_notes(self) -> None:
        for (label, note), rows in self.noted.items():
            self.table.notes.append(f"{_rows_text(rows)}, '{label}': {note}")


def _put(item: dict, key: str, value: Any) -> None:
    if "." in key:
        group, member = key.split(".", 1)
        item.setdefault(group, {})[member] = value
    else:
        item[key] = value


__all__ = ["Locator", "Table", "check_mapping", "columns_of", "load_mapping", "read_table"]
