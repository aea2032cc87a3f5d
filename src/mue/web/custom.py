"""Custom fields on the generic pages: list columns, filters, form fields and shown values.

Definitions are read once per page (:func:`mue.core.custom.definitions`, one query); what is derived
from them — the filter set class, the columns — is built once per set of definitions and reused.
Values are stored as the importer reads them (:mod:`mue.interchange.custom_values`), so showing one
is a matter of its kind; a link shows the linked object's name, the names of a page's links read in
one query per linked type.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from mue.core.custom import FILTER_PREFIX, Definition
from mue.core.models import CustomFieldKind, Workspace
from mue.web.spec import display_value, object_url, type_segment
from mue.web.widgets import AutocompleteSelect, AutocompleteSelectMultiple, slug_choices

NAMES_ATTRIBUTE = "_mue_custom_names"  # {(type key, slug): name} set on the rows of a page


def shown_value(definition: Definition, value: Any, workspace_slug: str, names: dict | None = None) -> SafeString | str:
    """A stored value in words: a link as the linked object's name (or its slug when the name is not
    known), a date in the user's locale, yes/no, a number grouped."""
    if value is None or value == "":
        return display_value(None, None)
    if definition.kind == CustomFieldKind.LINK and definition.target is not None:
        name = (names or {}).get((definition.target_type, value), value)
        return format_html('<a href="{}">{}</a>', object_url(workspace_slug, definition.target, value), name)
    if definition.kind == CustomFieldKind.DATE and isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    return display_value(None, value)


def link_names(definitions: list[Definition], rows: list[Any], workspace: Workspace) -> dict[tuple[str, str], str]:
    """Names of the objects the rows' link fields point to: one query per linked type."""
    wanted: dict[str, set[str]] = {}
    for definition in definitions:
        if definition.kind == CustomFieldKind.LINK and definition.target is not None:
            slugs = {row.custom.get(definition.slug) for row in rows} - {None}
            if slugs:
                wanted.setdefault(definition.target_type, set()).update(slugs)
    names: dict[tuple[str, str], str] = {}
    from mue.core.registry import registry

    for key, slugs in wanted.items():
        found = registry[key].model.objects.filter(workspace=workspace, slug__in=slugs).values_list("slug", "name")
        names.update({(key, slug): name for slug, name in found})
    return names


def attach_link_names(definitions: list[Definition], rows: list[Any], workspace: Workspace) -> None:
    names = link_names(definitions, rows, workspace)
    for row in rows:
        setattr(row, NAMES_ATTRIBUTE, names)


# -- filters ------------------------------------------------------------------------------------------


class _JsonRangeFilter(django_filters.RangeFilter):
    """At least / at most on a number kept in the JSON column (compared as JSON numbers)."""

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if value:
            if value.start is not None:
                qs = qs.filter(**{f"{self.field_name}__gte": float(value.start)})
            if value.stop is not None:
                qs = qs.filter(**{f"{self.field_name}__lte": float(value.stop)})
        return qs


class _JsonDateRangeFilter(django_filters.DateFromToRangeFilter):
    """On or after / on or before a date kept as ``YYYY-MM-DD`` text (which sorts as the dates do)."""

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if value:
            if value.start is not None:
                qs = qs.filter(**{f"{self.field_name}__gte": value.start.date().isoformat()})
            if value.stop is not None:
                qs = qs.filter(**{f"{self.field_name}__lte": value.stop.date().isoformat()})
        return qs


class _JsonBooleanFilter(django_filters.BooleanFilter):
    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(**{self.field_name: value})


def filter_name(definition: Definition) -> str:
    return f"{FILTER_PREFIX}{definition.slug}"


def custom_filter(definition: Definition) -> django_filters.Filter:
    """The list filter of one custom field (``?cf_<slug>=``), on the JSON column's key."""
    lookup, label = f"custom__{definition.slug}", definition.name
    kind = definition.kind
    if kind == CustomFieldKind.CHOICE:
        return django_filters.MultipleChoiceFilter(
            field_name=lookup, label=label, choices=[(c, c) for c in definition.choices], distinct=False,
            widget=forms.SelectMultiple(attrs={"class": "form-select", "data-mue-enhance": ""}))
    if kind == CustomFieldKind.BOOLEAN:
        return _JsonBooleanFilter(field_name=lookup, label=label,
                                  widget=forms.NullBooleanSelect(attrs={"class": "form-select"}))
    if kind == CustomFieldKind.NUMBER:
        return _JsonRangeFilter(field_name=lookup, label=label, widget=django_filters.widgets.RangeWidget(
            attrs={"class": "form-control", "inputmode": "decimal"}))
    if kind == CustomFieldKind.DATE:
        return _JsonDateRangeFilter(field_name=lookup, label=label, widget=django_filters.widgets.DateRangeWidget(
            attrs={"type": "date", "class": "form-control"}))
    if kind == CustomFieldKind.LINK:
        flt = django_filters.MultipleChoiceFilter(field_name=lookup, label=label, distinct=False, choices=[])
        flt.mue_custom_target = definition.target_type
        return flt
    return django_filters.CharFilter(field_name=lookup, lookup_expr="icontains", label=label,
                                     widget=forms.TextInput(attrs={"class": "form-control"}))


@lru_cache(maxsize=512)
def filterset_with(base: type, definitions: tuple[Definition, ...]) -> type:
    """``base`` (a type's filter set class) with a filter per custom field; built once per definitions."""
    attrs = {filter_name(d): custom_filter(d) for d in definitions}
    return type(base.__name__, (base,), attrs)


def scope_link_filters(filterset: Any, workspace: Workspace) -> None:
    """Choices of the link filters: the linked type's objects of the workspace (shown by autocomplete)."""
    from mue.core.registry import registry

    for name, flt in filterset.filters.items():
        key = getattr(flt, "mue_custom_target", None)
        if key is None:
            continue
        otype = registry[key]
        scoped = otype.model.objects.filter(workspace=workspace)
        field = filterset.form.fields[name]
        field.valid_value = lambda value, scoped=scoped: scoped.filter(slug=value).exists()
        field.widget = AutocompleteSelectMultiple(
            reverse("web:object_autocomplete", args=[workspace.slug, type_segment(otype)]), slug_choices(scoped),
            attrs={"id": f"filter-{name}", "aria-label": str(field.label)})


# -- forms --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormField:
    """A custom field in a form: its form field name and the definition."""

    name: str
    definition: Definition


def form_field(definition: Definition, workspace: Workspace) -> forms.Field:
    """The form field of one custom field (never required: "expected" fields are the audit's business)."""
    kwargs: dict[str, Any] = {"label": definition.name, "required": False, "help_text": definition.description}
    kind = definition.kind
    if kind == CustomFieldKind.NUMBER:
        return forms.DecimalField(widget=forms.NumberInput(attrs={"step": "any"}), **kwargs)
    if kind == CustomFieldKind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs)
    if kind == CustomFieldKind.BOOLEAN:
        return forms.NullBooleanField(widget=forms.NullBooleanSelect(), **kwargs)
    if kind == CustomFieldKind.CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *((c, c) for c in definition.choices)], **kwargs)
    if kind == CustomFieldKind.LINK and definition.target is not None:
        otype = definition.target
        scoped = otype.model.objects.filter(workspace=workspace)
        url = reverse("web:object_autocomplete", args=[workspace.slug, type_segment(otype)])
        widget = AutocompleteSelect(url, slug_choices(scoped))
        return forms.ModelChoiceField(scoped, to_field_name="slug", widget=widget, **kwargs)
    return forms.CharField(max_length=1000, **kwargs)


def typed_value(definition: Definition, value: Any) -> Any:
    """A cleaned form value as the map item holds it (empty: ``None``, which clears it)."""
    if value is None or value == "":
        return None
    if definition.kind == CustomFieldKind.LINK:
        return value.slug
    if isinstance(value, dt.date):
        return value.isoformat()
    if definition.kind == CustomFieldKind.NUMBER:
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def initial_value(definition: Definition, value: Any) -> Any:
    if definition.kind == CustomFieldKind.DATE and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


GROUP_LABEL = _("Custom fields")
