"""A spreadsheet row's identity: rows left out, the slug a mapping builds, rows that share a slug.

A client's inventory lists the same software twice (two versions, two sites, two statuses); read
as is, both rows get the slug of the name and the whole file is refused. A mapping says what a
row is (see :mod:`mue.interchange.mapping`):

* ``skip_if: {column: value or [values]}`` — rows left out before anything else (an "Archivé" status);
* ``slug: "{name}-{version}"`` — the slug built from several columns (headers or field keys), or
  ``slug: Code`` — the column that holds it;
* ``on_duplicate`` — rows sharing a slug are an ``error`` (each reported on its row), or the
  ``first`` or ``last`` is kept (every row left out is said), or they are ``merge``\\ d into one
  object: lists (tags, references) united, a field given once kept, two different values of one
  field a problem on the row that contradicts the first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from mue.core.registry import MapField
from mue.interchange.mapping import PLACEHOLDER
from mue.interchange.normalize import fold
from mue.interchange.sources import slugify

# (row number, column key or None, message)
Report = Callable[[int, str | None, str], None]


@dataclass
class Row:
    """One data row: its spreadsheet number, the fields it fills, and every cell by folded header."""

    number: int
    record: dict[str, Any]
    cells: dict[str, Any] = field(default_factory=dict)

    def cell(self, name: str) -> Any:
        """A cell by header or by the field key its column fills (``{version}`` works either way)."""
        key = fold(name)
        if key in self.cells:
            return self.cells[key]
        return self.record.get(name.strip())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def skipped(rows: list[Row], skip_if: dict[str, list[Any]], note: Callable[[str], None]) -> list[Row]:
    """The rows that no ``skip_if`` condition matches; the others said, one note per condition."""
    if not skip_if:
        return rows
    wanted = {column: {fold(_text(v)) for v in values} for column, values in skip_if.items()}
    kept: list[Row] = []
    left_out: dict[tuple[str, str], list[int]] = {}
    for row in rows:
        for column, values in wanted.items():
            value = fold(_text(row.cell(column)))
            if value in values:
                left_out.setdefault((column, _text(row.cell(column))), []).append(row.number)
                break
        else:
            kept.append(row)
    from mue.interchange.tabular import rows_text

    for (column, value), numbers in left_out.items():
        note(gettext("%(rows)s: left out (skip_if: %(column)s = %(value)s)")
             % {"rows": rows_text(numbers), "column": column, "value": repr(value)})
    return kept


def apply_slug_rule(rows: list[Row], rule: str | None, headers: set[str], report: Report) -> None:
    """Give each row the slug the mapping's ``slug`` builds; a name in it that is no column is a problem."""
    if not rule:
        return
    names = PLACEHOLDER.findall(rule) if "{" in rule else [rule]
    unknown = [n for n in names if fold(n) not in headers and not any(n.strip() in r.record for r in rows[:1])]
    if unknown:
        report(0, None, gettext("mapping slug: no column %(names)s in the sheet")
               % {"names": ", ".join(repr(n) for n in unknown)})
        return
    for row in rows:
        if "{" in rule:
            text = PLACEHOLDER.sub(lambda m, row=row: _text(row.cell(m.group(1))), rule)
            slug = slugify(text)
        else:
            slug = _text(row.cell(rule))
        if slug:
            row.record["slug"] = slug
        else:
            row.record.pop("slug", None)  # no identity from the rule: the name gives it, as without one


def resolve_duplicates(rows: list[Row], policy: str, fields: dict[str, MapField], report: Report,
                       note: Callable[[str], None]) -> list[Row]:
    """Rows that share a slug, handled as the mapping's ``on_duplicate`` says; each row concerned is named."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        slug = row.record.get("slug")
        if isinstance(slug, str) and slugify(slug):
            groups.setdefault(slugify(slug), []).append(row)
    shared = {slug: group for slug, group in groups.items() if len(group) > 1}
    if not shared:
        return rows
    dropped: set[int] = set()
    for slug, group in shared.items():
        first, *others = group
        if policy == "error":
            for row in others:
                report(row.number, "slug", gettext(
                    "same identity '%(slug)s' as row %(row)s: give each row its own slug (slug: \"{name}-{version}\") "
                    "or say which row wins (on_duplicate: first, last or merge)") % {"slug": slug, "row": first.number})
        elif policy == "first":
            for row in others:
                dropped.add(id(row))
                note(gettext("row %(row)s: same identity '%(slug)s' as row %(first)s, left out (the first row is kept)")
                     % {"row": row.number, "slug": slug, "first": first.number})
        elif policy == "last":
            *earlier, last = group
            for row in earlier:
                dropped.add(id(row))
                note(gettext("row %(row)s: same identity '%(slug)s' as row %(last)s, left out (the last row is kept)")
                     % {"row": row.number, "slug": slug, "last": last.number})
        else:
            for row in others:
                _merge(first, row, fields, report)
                dropped.add(id(row))
                note(gettext("row %(row)s merged into row %(first)s ('%(slug)s')")
                     % {"row": row.number, "first": first.number, "slug": slug})
    return [row for row in rows if id(row) not in dropped]


def _merge(into: Row, row: Row, fields: dict[str, MapField], report: Report) -> None:
    """Add ``row``'s cells to ``into``: lists united, new fields taken, a different value a problem."""
    for key, value in row.record.items():
        if key not in into.record:
            into.record[key] = value
            continue
        current = into.record[key]
        if fold(_text(current)) == fold(_text(value)):
            continue
        mf = fields.get(key)
        if mf is not None and (mf.kind in ("refs", "links") or key == "tags"):
            commas = key == "tags"  # tags accept ',' too; names of references may hold one
            items = [*_split(current, commas), *_split(value, commas)]
            into.record[key] = ";".join(dict.fromkeys(items, None))
            continue
        report(row.number, key, gettext("'%(value)s' differs from '%(other)s' on row %(row)s, the same object: "
                                        "merging keeps one value per field (choose on_duplicate: first or last, "
                                        "or give the rows their own slug)")
               % {"value": _text(value), "other": _text(current), "row": into.number})


def _split(value: Any, commas: bool) -> list[str]:
    if isinstance(value, list):
        return [_text(v) for v in value if _text(v)]
    text = _text(value).replace(",", ";") if commas else _text(value)
    return [part.strip() for part in text.split(";") if part.strip()]


__all__ = ["Row", "apply_slug_rule", "resolve_duplicates", "skipped"]
