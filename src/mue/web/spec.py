"""What the pages of one register type show, derived from its registry entry: columns, field groups,
relations both ways. Nothing here names a type: a new type gets its pages from its model alone.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any
from urllib.parse import quote

from django.db import models
from django.urls import get_script_prefix, reverse
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from mue.core.custom import Definition
from mue.core.registry import ENDPOINT_TYPES, MapField, ObjectType, registry


def type_segment(otype: ObjectType | str) -> str:
    """The URL segment of a type (or of a map key): the key with dashes (``data-categories``)."""
    key = otype if isinstance(otype, str) else otype.key
    return key.replace("_", "-")


def type_from_segment(segment: str) -> ObjectType | None:
    key = segment.replace("-", "_")
    return registry[key] if key in registry else None


def object_url(workspace_slug: str, otype: ObjectType, slug: str) -> str:
    """The detail page of an object: its type's URL prefix (reversed once) and the quoted slug.

    A list of 50 rows links to 150 objects; ``reverse()`` for each was a tenth of the page's time.
    """
    return f"{_detail_prefix(get_script_prefix(), workspace_slug, type_segment(otype))}{quote(slug, safe='')}/"


@lru_cache(maxsize=2048)
def _detail_prefix(script_prefix: str, workspace_slug: str, segment: str) -> str:
    return reverse("web:object_detail", args=[workspace_slug, segment, "-"])[:-2]


def label_of(mf: MapField) -> str:
    """A field's label as people read it (capitalised verbose name; groups and endpoints by their key)."""
    if mf.field is not None:
        return str(mf.field.verbose_name)[:1].upper() + str(mf.field.verbose_name)[1:]
    return str(_GROUP_LABELS.get(mf.key, mf.key.replace("_", " ").capitalize()))


_GROUP_LABELS = {
    "needs": gettext_lazy("Needs (availability, integrity, confidentiality, traceability)"),
    "checklist": gettext_lazy("Checklist of the clauses"),
    "dpia_criteria": gettext_lazy("DPIA screening: the nine WP248 criteria"),
    "security": gettext_lazy("Security measures"),
    "from": pgettext_lazy("flow end", "From"),
    "to": pgettext_lazy("flow end", "To"),
    "about": gettext_lazy("About"),
}


@cache
def _model_choice_labels(model_field: models.Field) -> dict[Any, Any]:
    return dict(model_field.flatchoices)


def choice_labels(model_field: models.Field) -> dict[Any, Any]:
    """A field's choices, value -> label; built once for a model's field (``flatchoices`` normalizes
    them at every call: two thirds of a list page's time went there). The labels are lazy: they
    speak the language of each request. Fields made on the fly (custom fields) are not kept."""
    if getattr(model_field, "model", None) is None:
        return dict(model_field.flatchoices)
    return _model_choice_labels(model_field)


def display_value(model_field: models.Field | None, value: Any) -> SafeString | str:
    """A stored value in words: choices by their label, booleans as Yes/No, dates in the user's locale."""
    if value is None or value == "" or value == []:
        return mark_safe('<span class="text-secondary">—</span>')
    if model_field is not None and model_field.choices:
        return str(choice_labels(model_field).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, decimal.Decimal | float | int):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    if isinstance(value, list):
        return format_html_join(" ", '<span class="badge bg-secondary-lt">{}</span>', ((v,) for v in value))
    if isinstance(model_field, models.URLField):
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', value, value)
    return str(value)


def _link(workspace_slug: str, otype: ObjectType, obj: Any) -> SafeString:
    return format_html('<a href="{}">{}</a>', object_url(workspace_slug, otype, obj.slug), obj.name)


@dataclass(frozen=True)
class Column:
    """One column of a type's list: what it shows, how it sorts, what it makes the query fetch."""

    key: str  # the flat map key (``needs.availability``), used in ``?columns=`` and exports
    kind: str  # value | ref | refs | endpoint
    mf: MapField
    sort: str | None = None  # ORM path to order by
    nullable: bool = False
    numeric: bool = False
    select: tuple[str, ...] = ()  # select_related paths
    prefetch: tuple[str, ...] = ()  # prefetch_related paths
    definition: Definition | None = None  # kind "custom": the workspace's custom field it shows

    @property
    def label(self) -> str:
        if self.definition is not None:
            return self.definition.name
        return label_of(self.mf)  # computed when shown: specs are cached, languages change per request

    def cell(self, obj: Any, workspace_slug: str) -> SafeString | str:
        if self.kind == "custom":
            from mue.web.custom import NAMES_ATTRIBUTE, shown_value

            return shown_value(self.definition, obj.custom.get(self.definition.slug), workspace_slug,
                               getattr(obj, NAMES_ATTRIBUTE, None))
        if self.kind == "value":
            return display_value(self.mf.field, getattr(obj, self.mf.attname))
        if self.kind == "ref":
            target = getattr(obj, self.mf.field.name)
            if target is None:
                return display_value(None, None)
            return _link(workspace_slug, registry.by_singular(self.mf.target), target)
        if self.kind == "refs":
            targets = list(getattr(obj, self.mf.attname).all())
            if not targets:
                return display_value(None, None)
            otype = registry.by_singular(self.mf.target)
            shown = format_html_join(", ", "{}", ((_link(workspace_slug, otype, t),) for t in targets[:5]))
            more = len(targets) - 5
            return format_html("{} (+{})", shown, more) if more > 0 else shown
        if self.kind == "endpoint":
            kind, target = endpoint_of(obj, self.mf)
            if target is None:
                return display_value(None, None)
            return _link(workspace_slug, registry.by_singular(kind), target)
        return ""


def endpoint_of(obj: Any, mf: MapField) -> tuple[str | None, Any]:
    """The (singular type, object) a flow's endpoint points to (one of several foreign keys)."""
    for kind in ENDPOINT_TYPES:
        if getattr(obj, f"{mf.model_field_prefix}_{kind}_id") is not None:
            return kind, getattr(obj, f"{mf.model_field_prefix}_{kind}")
    return None, None


@dataclass
class TypeSpec:
    """Everything the generic pages need to know about one type."""

    otype: ObjectType
    columns: list[Column] = field(default_factory=list)
    default_columns: list[str] = field(default_factory=list)
    search_fields: tuple[str, ...] = ("slug", "name", "description")

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    def with_custom(self, definitions: list[Definition]) -> TypeSpec:
        """The spec with a column per custom field of the workspace (``custom.<slug>``), never sortable."""
        if not definitions:
            return self
        extra = [Column(d.column, "custom", self.otype.field("custom"), numeric=d.kind == "number", definition=d)
                 for d in definitions]
        return TypeSpec(otype=self.otype, columns=[*self.columns, *extra], default_columns=self.default_columns,
                        search_fields=self.search_fields)

    def chosen(self, keys: list[str] | None) -> list[Column]:
        """The columns to show: the user's choice (unknown keys ignored), else the defaults; name first."""
        wanted = [k for k in (keys or []) if self.column(k)] or self.default_columns
        if "name" not in wanted:
            wanted = ["name", *wanted]
        return [c for k in wanted if (c := self.column(k)) is not None]


_NUMERIC = (models.IntegerField, models.DecimalField, models.FloatField)
_SKIPPED_IN_LISTS = (models.TextField, models.JSONField)


def _columns(otype: ObjectType) -> list[Column]:
    columns: list[Column] = []
    for mf in otype.fields:
        members = mf.members if mf.kind == "group" else (mf,)
        for m in members:
            key = f"{mf.key}.{m.key}" if mf.kind == "group" else m.key
            if m.kind == "value":
                f = m.field
                if isinstance(f, _SKIPPED_IN_LISTS) and m.key != "tags":
                    continue
                columns.append(Column(key, "value", m, sort=None if m.key == "tags" else f.attname,
                                      nullable=f.null, numeric=isinstance(f, _NUMERIC) and not f.choices))
            elif m.kind == "ref":
                name = m.field.name
                columns.append(Column(key, "ref", m, sort=f"{name}__name", nullable=True,
                                      select=(name,)))
            elif m.kind == "refs":
                columns.append(Column(key, "refs", m, prefetch=(m.attname,)))
            elif m.kind == "endpoint":
                select = tuple(f"{m.model_field_prefix}_{kind}" for kind in ENDPOINT_TYPES)
                columns.append(Column(key, "endpoint", m, select=select))
    return columns


def _defaults(columns: list[Column]) -> list[str]:
    """The columns a list shows before anyone chooses: the name, then up to five of the type's fields,
    preferring what is read at a glance — a flow's endpoints, references, then choices, yes/no, dates."""
    own = [c for c in columns if c.key not in ("slug", "name", "description", "tags")]

    def glance(c: Column) -> int:
        if c.kind == "endpoint":
            return 0
        if c.kind == "ref":
            return 1
        if c.kind == "value" and c.mf.field.choices:
            return 2
        if c.kind == "value" and isinstance(c.mf.field, models.BooleanField | models.DateField):
            return 3
        return 4

    chosen = sorted(own, key=glance)[:5]
    order = {c.key: i for i, c in enumerate(columns)}
    return ["name", *sorted((c.key for c in chosen), key=order.get)]


@cache
def spec_for(key: str) -> TypeSpec:
    otype = registry[key]
    columns = _columns(otype)
    return TypeSpec(otype=otype, columns=columns, default_columns=_defaults(columns))


@dataclass(frozen=True)
class Relation:
    """A reference from another type to this one (``Application.vendor`` seen from the vendor)."""

    otype: ObjectType  # the type that holds the reference
    mf: MapField
    lookup: str  # filter on the holding type: ``vendor`` / ``applications`` / ``source_application``

    @property
    def label(self) -> str:
        return _("%(type)s (%(field)s)") % {"type": capfirst(self.otype.label_plural),
                                            "field": label_of(self.mf).lower()}


@cache
def incoming(singular: str) -> tuple[Relation, ...]:
    """Every reference of every type that may point to an object of type ``singular``."""
    out: list[Relation] = []
    for other in registry:
        for mf in other.flat_fields():
            if mf.kind in ("ref", "refs") and mf.target == singular:
                out.append(Relation(other, mf, mf.field.name))
            elif mf.kind == "endpoint" and singular in ENDPOINT_TYPES:
                out.append(Relation(other, mf, f"{mf.model_field_prefix}_{singular}"))
    return tuple(out)
