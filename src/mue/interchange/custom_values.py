"""The importer's checks of custom fields: their definitions, and the values objects give them.

Every path that writes (map files, spreadsheets, forms, the API) reaches these checks through
:class:`mue.interchange.importer.MapImport`, so a value is read the same way everywhere: a number
may be written "1 200,50", a date "31/12/2026", a yes/no "oui", a choice in any case or accents —
each reading noted, like the spreadsheet reader notes its own. Definitions given in the same file
count as much as stored ones (a file may define a field and fill it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from mue.core.custom import TEXT_LIMIT, Definition, definition_of, definition_problems, definitions
from mue.core.inputs import excerpt
from mue.core.models import CustomField, CustomFieldKind
from mue.core.registry import registry
from mue.interchange.normalize import Converted, Names, Normalizer, Unreadable

if TYPE_CHECKING:
    from mue.interchange.importer import MapImport

_DEFINITION_KEYS = ("name", "object_type", "kind", "choices", "target_type", "expected", "position", "description")
TYPE_KEY = CustomField.Map.key


def read_value(definition: Definition, raw: Any, known: set[str] | None = None) -> Converted:
    """A value of a map item for ``definition``, as stored; raise :class:`Unreadable` with the reason.

    ``known``: for a link, the slugs of the linked type that exist or are defined in the same file.
    """
    if raw is None:
        return Converted(None)
    if definition.kind == CustomFieldKind.LINK:
        if not isinstance(raw, str):
            raise Unreadable(_("a link is the slug of a %(type)s") % {"type": _target_label(definition)})
        if known is not None and raw not in known:
            raise Unreadable(_("unknown %(type)s '%(slug)s'") % {"type": _target_label(definition),
                                                                 "slug": excerpt(raw)})
        return Converted(raw)
    converted = Normalizer(Names(None)).convert(definition.map_field(), raw)
    value = converted.value
    if definition.kind == CustomFieldKind.TEXT and isinstance(value, str) and len(value) > TEXT_LIMIT:
        raise Unreadable(_("is too long: at most %(limit)s characters, got %(count)s")
                         % {"limit": TEXT_LIMIT, "count": len(value)})
    if value == "":
        return Converted(None, converted.note)
    return converted


def _target_label(definition: Definition) -> str:
    return str(definition.target.label) if definition.target else definition.target_type


def check(run: MapImport) -> None:
    """Check the document's custom field definitions, then every item's ``custom`` values (read in place)."""
    stored = {d.slug: d for d in definitions(run.existing_workspace())} if run.existing_workspace() else {}
    fields = dict(stored)
    for index, item in run.items.get(TYPE_KEY, []):
        slug = item.get("slug")
        if not isinstance(slug, str):
            continue
        definition = _definition(item, stored.get(slug))
        if definition is None:
            continue  # a new field without its type: the importer says what is missing
        if _check_definition(run, index, item, definition, stored.get(slug)):
            fields[slug] = definition
    per_type: dict[str, dict[str, Definition]] = {}
    for definition in fields.values():
        per_type.setdefault(definition.object_type, {})[definition.slug] = definition
    for key, items in run.items.items():
        defined = per_type.get(key, {})
        otype = registry[key]
        for index, item in items:
            values = item.get("custom") if isinstance(item, dict) else None
            if not isinstance(values, dict):
                continue
            for slug in list(values):
                path = (key, index, "custom", slug)
                definition = defined.get(slug)
                if definition is None:
                    names = ", ".join(sorted(defined))
                    run.problem(path, _("no custom field '%(slug)s' for %(types)s (defined: %(names)s)") % {
                        "slug": excerpt(slug), "types": otype.label_plural, "names": names or _("none")})
                    continue
                target = definition.target
                try:
                    converted = read_value(definition, values[slug], run.known[target.singular] if target else None)
                except Unreadable as exc:
                    run.problem(path, str(exc))
                    continue
                values[slug] = converted.value
                if converted.note:
                    run.notes.append(_("%(type)s '%(slug)s', %(field)s: %(note)s") % {
                        "type": otype.label, "slug": item.get("slug"), "field": definition.name,
                        "note": converted.note})


def _definition(item: dict, stored: Definition | None) -> Definition | None:
    """The definition once the item is applied (its keys over the stored ones)."""
    base: dict[str, Any] = {"slug": item["slug"], "name": "", "object_type": None, "kind": CustomFieldKind.TEXT,
                            "choices": [], "target_type": "", "expected": False, "position": 0, "description": ""}
    if stored is not None:
        base.update({k: getattr(stored, k) for k in _DEFINITION_KEYS})
    base.update({k: item[k] for k in _DEFINITION_KEYS if k in item and item[k] is not None})
    if not isinstance(base["object_type"], str) or base["object_type"] not in registry:
        return None
    if not isinstance(base["choices"], list | tuple) or not isinstance(base["kind"], str):
        return None  # the schema said why
    return definition_of(base)


def _check_definition(run: MapImport, index: int, item: dict, definition: Definition,
                      stored: Definition | None) -> bool:
    """Problems of one definition; True when its values can be checked against it. A new one's own problems
    were said by its type's ``Map.check``; a changed one is checked as it will be."""
    path = (TYPE_KEY, index)
    found = definition_problems({**{k: getattr(definition, k) for k in _DEFINITION_KEYS}, "slug": definition.slug})
    if stored is None:
        return not found
    for key, message in found:
        run.problem((*path, key), message)
    return not found and _check_change(run, path, definition, stored)


def _check_change(run: MapImport, path: tuple, definition: Definition, stored: Definition) -> bool:
    """A field whose values are stored keeps their meaning: its type and kind stay, its values stay allowed."""
    holders = _holders(run, stored)
    changed = [key for key in ("object_type", "kind", "target_type")
               if getattr(definition, key) != getattr(stored, key)]
    if changed and holders.exists():
        run.problem((*path, changed[0]), _(
            "%(count)s %(types)s hold values of this field: it keeps its %(key)s (create another field, or clear "
            "those values first)") % {"count": holders.count(), "types": registry[stored.object_type].label_plural,
                                      "key": changed[0]})
        return False
    if definition.kind == CustomFieldKind.CHOICE and set(definition.choices) != set(stored.choices):
        used = {value for value in holders.values_list(f"custom__{stored.slug}", flat=True) if value is not None}
        gone = sorted(str(v) for v in used - set(definition.choices))
        if gone:
            run.problem((*path, "choices"), _("values still held by objects cannot be removed: %(values)s")
                        % {"values": ", ".join(excerpt(v) for v in gone[:10])})
            return False
    return True


def _holders(run: MapImport, definition: Definition):
    model = registry[definition.object_type].model
    return model.objects.filter(workspace=run.existing_workspace(), custom__has_key=definition.slug)
