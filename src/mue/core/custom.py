"""Custom fields: what a workspace adds to a register type, and the values its objects hold.

A definition is itself a register object (:class:`mue.core.models.CustomField`, map key
``custom_fields``): it is imported, exported, edited, logged and handed over like every other
object. The values live in each object's ``custom`` column as ``{field slug: value}`` — text, a
number, a date as ``YYYY-MM-DD``, a boolean, one of the allowed values, or the slug of the linked
object — and reach the importer as the item's ``custom`` key (checked in
:mod:`mue.interchange.custom_values`), spreadsheets as ``custom.<slug>`` columns, pages as fields of
their own. One query reads a workspace's definitions; everything else is derived from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import models

from mue.core.registry import MapField, ObjectType, registry

# A value's key in ``custom`` and in column names (``custom.<slug>``): a slug without dots.
KEY_PATTERN = r"^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?$"
TEXT_LIMIT = 1000  # characters of a text value
COLUMN_PREFIX = "custom."
FILTER_PREFIX = "cf_"


@dataclass(frozen=True)
class Definition:
    """One custom field as the pages, the importer and the audit read it."""

    slug: str
    name: str
    object_type: str  # the type's map key (``applications``)
    kind: str  # text | number | date | boolean | choice | link
    choices: tuple[str, ...] = ()
    target_type: str = ""  # for a link: the linked type's map key
    expected: bool = False
    position: int = 0
    description: str = ""

    @property
    def column(self) -> str:
        """The key of its column in spreadsheets and lists (``custom.marche``)."""
        return f"{COLUMN_PREFIX}{self.slug}"

    @property
    def target(self) -> ObjectType | None:
        return registry[self.target_type] if self.kind == "link" and self.target_type in registry else None

    def map_field(self) -> MapField:
        """The field as the spreadsheet reader and the forms see it: a model field of the value's type
        (never saved: the value is stored in ``custom``), or a reference for a link."""
        return MapField(key=self.slug, kind="ref" if self.target else "value", attname=None,
                        field=model_field(self), target=self.target.singular if self.target else None)


@lru_cache(maxsize=4096)
def model_field(definition: Definition) -> models.Field:
    """An unsaved model field describing the value (its type, label, allowed values); one per definition,
    so that what is cached by field (the allowed values' index) is built once."""
    kwargs: dict[str, Any] = {"verbose_name": definition.name, "help_text": definition.description,
                              "blank": True, "null": True}
    kind = definition.kind
    if kind == "number":
        field: models.Field = models.DecimalField(max_digits=30, decimal_places=10, **kwargs)
    elif kind == "date":
        field = models.DateField(**kwargs)
    elif kind == "boolean":
        field = models.BooleanField(**kwargs)
    elif kind == "choice":
        field = models.CharField(max_length=200, choices=[(c, c) for c in definition.choices], **kwargs)
    elif kind == "link":
        field = models.CharField(max_length=100, **kwargs)
    else:
        field = models.CharField(max_length=TEXT_LIMIT, **kwargs)
    field.set_attributes_from_name(definition.slug.replace("-", "_"))
    return field


def definition_of(row: Any) -> Definition:
    """A :class:`Definition` from a CustomField object or its ``values()`` dict."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    return Definition(slug=get("slug"), name=get("name"), object_type=get("object_type"), kind=get("kind"),
                      choices=tuple(str(c) for c in get("choices") or ()), target_type=get("target_type") or "",
                      expected=bool(get("expected")), position=get("position") or 0,
                      description=get("description") or "")


_COLUMNS = ("slug", "name", "object_type", "kind", "choices", "target_type", "expected", "position", "description")


def definitions(workspace: Any, type_key: str | None = None) -> list[Definition]:
    """The workspace's custom fields (of one type when ``type_key`` is given), in their order: one query."""
    from mue.core.models import CustomField

    workspace_id = getattr(workspace, "pk", workspace)
    if workspace_id is None:
        return []
    rows = CustomField.objects.filter(workspace_id=workspace_id)
    if type_key is not None:
        rows = rows.filter(object_type=type_key)
    return [definition_of(row) for row in rows.order_by("position", "name", "slug").values(*_COLUMNS)]


def by_type(found: list[Definition]) -> dict[str, list[Definition]]:
    out: dict[str, list[Definition]] = {}
    for definition in found:
        out.setdefault(definition.object_type, []).append(definition)
    return out


def merged(stored: dict | None, given: dict) -> dict:
    """The values after an item's ``custom`` is applied: its keys over the stored ones, ``None`` clearing."""
    values = {**(stored or {}), **given}
    return {key: value for key, value in sorted(values.items()) if value is not None}


def definition_problems(item: dict[str, Any]) -> list[tuple[str, str]]:
    """What makes a definition unusable, as (key, message): its slug as a key, a choice without values, a link
    without its type. Keys the item leaves out take the model's defaults."""
    from django.utils.translation import gettext as _

    from mue.core.models import CustomField, CustomFieldKind

    kind, target = item.get("kind") or CustomFieldKind.TEXT, item.get("target_type") or ""
    out = []
    if isinstance(item.get("slug"), str) and not _KEY.match(item["slug"]):
        out.append(("slug", _("a custom field's slug is the key of its values: lower-case letters, digits, '-' and "
                              "'_', no dots")))
    if item.get("object_type") == CustomField.Map.key:
        out.append(("object_type", _("custom fields cannot have custom fields")))
    if kind == CustomFieldKind.CHOICE and not item.get("choices"):
        out.append(("choices", _("a choice needs its allowed values")))
    if kind == CustomFieldKind.LINK and target not in registry:
        out.append(("target_type", _("a link needs the type of the objects it points to")))
    if kind != CustomFieldKind.LINK and target:
        out.append(("target_type", _("only a link has a linked type: clear it, or choose the kind “link to an "
                                     "object”")))
    return out


_KEY = re.compile(KEY_PATTERN)


def forget_values(definition: Any) -> int:
    """Remove a deleted field's values from the objects that hold them (each save logged); how many."""
    otype = registry[definition.object_type] if definition.object_type in registry else None
    if otype is None:
        return 0
    holders = otype.model.objects.filter(workspace_id=definition.workspace_id, custom__has_key=definition.slug)
    count = 0
    for obj in holders:
        obj.custom = {k: v for k, v in obj.custom.items() if k != definition.slug}
        obj.save(update_fields=["custom", "updated"])
        count += 1
    return count
