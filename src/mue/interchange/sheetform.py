"""The import page's mapping form of one sheet: what it shows, and the mapping it reads back.

The form is a mapping file in fields (:mod:`mue.interchange.mapping`): a field per column (the
importer's own match preselected, see :func:`~mue.interchange.tabular.match_columns`), a choice per
distinct value of the enumeration and yes/no columns (with what the importer reads it as), the
identity settings and the default values. :func:`mapping_from_form` turns what was posted back into
a mapping, keeping only what differs from what the importer would do alone, so that a saved mapping
reads as one written by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.http import QueryDict
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from mue.core.registry import MapField, ObjectType, registry
from mue.interchange.mapping import IGNORE, ON_DUPLICATE, check_mapping, empty_mapping
from mue.interchange.normalize import Names, Normalizer, Unreadable, fold
from mue.interchange.tabular import (
    AMBIGUOUS,
    BAD_TARGET,
    IDENTITY,
    IGNORED,
    MAPPED,
    RECOGNISED,
    TWICE,
    ColumnMatch,
    Sheet,
    _empty,
    _header_position,
    columns_of,
    match_columns,
)

MAX_VALUES = 40  # distinct values offered for mapping per column


@dataclass
class ColumnRow:
    position: int
    header: str
    selected: str  # a field key, IGNORE, or "" (not matched)
    status: str  # ok, problem
    suggestion: str
    samples: list[str]


@dataclass
class ValueRow:
    n: int
    source: str
    selected: str
    read_as: str
    ok: bool


@dataclass
class ValueColumn:
    position: int
    header: str
    key: str
    label: str
    options: list[tuple[str, str]]
    values: list[ValueRow]
    more: int = 0  # distinct values not shown

    @property
    def needs_attention(self) -> bool:
        """Shown open: a value the importer does not read, or one the mapping already says."""
        return any(not v.ok or v.selected for v in self.values)


@dataclass
class SheetForm:
    index: int
    title: str
    rows: int
    otype: ObjectType | None
    mapping: dict[str, Any]
    columns: list[ColumnRow] = field(default_factory=list)
    value_columns: list[ValueColumn] = field(default_factory=list)
    field_options: list[tuple[str, str]] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    skip: list[tuple[str, str]] = field(default_factory=list)  # (column, values joined by ;) + an empty row
    defaults_text: str = ""
    other_values: dict[str, Any] = field(default_factory=dict)
    workspace_id: int | None = None  # its custom fields are columns too

    @property
    def values_to_check(self) -> list[ValueColumn]:
        return [vc for vc in self.value_columns if vc.needs_attention]

    @property
    def values_read(self) -> list[ValueColumn]:
        return [vc for vc in self.value_columns if not vc.needs_attention]

    @property
    def prefix(self) -> str:
        return f"s{self.index}"

    @property
    def on_duplicate_choices(self) -> list[tuple[str, str]]:
        return [(key, str(label)) for key, label in ON_DUPLICATE.items()]


def type_choices() -> list[tuple[str, str]]:
    return [(otype.key, capfirst(otype.label_plural)) for otype in registry]


def _label(key: str, mf: MapField) -> str:
    name = str(mf.field.verbose_name) if mf.field is not None else key
    return f"{name} ({key})"


def _suggestion(match: ColumnMatch, fields: dict[str, MapField]) -> tuple[str, str]:
    def name(key: str) -> str:
        return _label(key, fields[key]) if key in fields else key

    if match.how == RECOGNISED:
        return "ok", _("recognised by its header")
    if match.how == MAPPED:
        guess = match.candidates[0] if len(match.candidates) == 1 else None
        if guess and guess != match.key:
            return "ok", _("chosen (the importer suggested %(field)s)") % {"field": name(guess)}
        return "ok", _("chosen")
    if match.how == IGNORED:
        return "ok", _("ignored")
    if match.how == IDENTITY:
        return "ok", _("read for the identity or skip rule only")
    if match.how == AMBIGUOUS:
        return "problem", _("may mean %(fields)s: choose one") % {"fields": _(" or ").join(map(name, match.candidates))}
    if match.how == BAD_TARGET:
        return "problem", _("the mapping names an unknown field '%(field)s'") % {"field": match.target}
    if match.how == TWICE:
        return "problem", _("'%(other)s' already gives this field") % {"other": match.other}
    return "problem", _("not recognised: choose a field, or ignore the column")


def build_form(index: int, sheet: Sheet, otype: ObjectType | None, mapping: dict[str, Any] | None,
               names: Names) -> SheetForm:
    """The form of one sheet for its chosen type and current mapping."""
    mapping = check_mapping(mapping or {}, sheet.title)
    form = SheetForm(index, sheet.title, sheet.data_rows, otype, mapping, headers=sheet.headers,
                     workspace_id=names.workspace_id)
    form.skip = [(column, "; ".join(str(v) for v in values)) for column, values in mapping["skip_if"].items()]
    form.skip.append(("", ""))
    form.defaults_text = "\n".join(f"{k} = {';'.join(map(str, v)) if isinstance(v, list) else v}"
                                   for k, v in mapping["defaults"].items())
    if otype is None:
        return form
    fields = dict(columns_of(otype, names.workspace_id))
    form.field_options = [(key, _label(key, mf)) for key, mf in fields.items()]
    at = _header_position(sheet.rows)
    if at is None:
        return form
    headers = sheet.rows[at][1]
    data = [cells for _n, cells in sheet.rows[at + 1:]]
    normalizer = Normalizer(names)
    shown_values: set[str] = set()
    for match in match_columns(otype, headers, mapping, names.workspace_id):
        status, text = _suggestion(match, fields)
        cells = [c[match.position] for c in data if match.position < len(c) and not _empty(c[match.position])]
        distinct = list(dict.fromkeys(_cell_text(c) for c in cells))
        selected = match.key or (IGNORE if match.how == IGNORED else "")
        form.columns.append(ColumnRow(match.position, match.header, selected, status, text, distinct[:3]))
        if match.key and _has_values(fields[match.key]):
            shown_values.add(match.key)
            form.value_columns.append(_value_column(match, fields[match.key], distinct, mapping, normalizer))
    form.other_values = {k: v for k, v in mapping["values"].items() if k not in shown_values}
    return form


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _has_values(mf: MapField) -> bool:
    f = mf.field
    return f is not None and (bool(f.choices) or isinstance(f, models.BooleanField))


def _options(mf: MapField) -> list[tuple[str, str]]:
    f = mf.field
    if isinstance(f, models.BooleanField):
        return [("yes", _("yes")), ("no", _("no"))]
    return [(str(value), f"{label} ({value})") for value, label in f.choices if value != ""]


def _value_column(match: ColumnMatch, mf: MapField, distinct: list[str], mapping: dict,
                  normalizer: Normalizer) -> ValueColumn:
    table = {fold(k): v for k, v in (mapping["values"].get(match.key) or {}).items()}
    labels = dict(_options(mf)) if mf.field is not None and mf.field.choices else {}
    rows = []
    for n, source in enumerate(distinct[:MAX_VALUES]):
        chosen = table.get(fold(source))
        try:
            converted = normalizer.convert(mf, source if chosen is None else chosen)
            read_as, ok = labels.get(converted.value, _show(converted.value)), True
        except Unreadable as exc:
            read_as, ok = str(exc), False
        rows.append(ValueRow(n, source, "" if chosen is None else _bool_text(chosen), read_as, ok))
    return ValueColumn(match.position, match.header, match.key, _label(match.key, mf), _options(mf), rows,
                       max(0, len(distinct) - MAX_VALUES))


def _bool_text(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def _show(value: Any) -> str:
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if value is None:
        return _("empty")
    return str(value)


def mapping_from_form(post: QueryDict, form: SheetForm) -> dict[str, Any]:
    """The mapping the posted form says, for the sheet ``form`` was built from (its type and columns)."""
    p = form.prefix
    mapping = empty_mapping()
    mapping["type"] = form.otype.key if form.otype else None
    guesses = {c.position: c for c in form.columns}
    if form.otype is not None:
        fields = dict(columns_of(form.otype, form.workspace_id))
        auto = {m.position: m for m in match_columns(form.otype, [*_headers_by_position(form)], empty_mapping(),
                                                     form.workspace_id)}
        for position, column in guesses.items():
            chosen = post.get(f"{p}-col-{position}", "").strip()
            if not chosen or (chosen != IGNORE and chosen not in fields):
                continue
            guessed = auto.get(position)
            if guessed is not None and guessed.how == RECOGNISED and guessed.key == chosen:
                continue  # what the importer reads by itself needs no line in the mapping
            mapping["columns"][column.header] = chosen
        for vc in form.value_columns:
            chosen_key = mapping["columns"].get(vc.header) or (auto[vc.position].key if vc.position in auto else None)
            for row in vc.values:
                target = post.get(f"{p}-val-{vc.position}-{row.n}", "").strip()
                if target and chosen_key == vc.key:
                    mapping["values"].setdefault(vc.key, {})[row.source] = target
        for key, table in form.other_values.items():
            mapping["values"].setdefault(key, {}).update(table)
    slug = post.get(f"{p}-slug", "").strip()
    mapping["slug"] = slug or None
    mapping["on_duplicate"] = post.get(f"{p}-on_duplicate", "error")
    n = 0
    while f"{p}-skip-{n}-column" in post:
        column = post.get(f"{p}-skip-{n}-column", "").strip()
        values = [v.strip() for v in post.get(f"{p}-skip-{n}-values", "").split(";") if v.strip()]
        if column and values:
            mapping["skip_if"][column] = values
        n += 1
    for line in post.get(f"{p}-defaults", "").splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() and value.strip():
            mapping["defaults"][key.strip()] = value.strip()
    return mapping


def _headers_by_position(form: SheetForm) -> list[Any]:
    """The header row as a list indexed by position (None where a column has no header)."""
    width = max((c.position for c in form.columns), default=-1) + 1
    headers: list[Any] = [None] * width
    for c in form.columns:
        headers[c.position] = c.header
    return headers


__all__ = ["SheetForm", "build_form", "mapping_from_form", "type_choices"]
