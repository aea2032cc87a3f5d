"""The filters of a type's list, derived from its fields (django-filter): choices, yes/no, references,
dates and numbers, plus a full-text search on slug, name and description.

References are filtered by slug (``?vendor=editeur-x``) among the objects of the workspace only: a
slug of another workspace is not a valid choice, so a filter can never reach across workspaces.
"""

from __future__ import annotations

from functools import cache

import django_filters
from django import forms
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from mue.core.models import Workspace
from mue.core.registry import ObjectType, registry
from mue.web.spec import label_of, type_segment
from mue.web.widgets import AutocompleteSelectMultiple, NullBooleanSelect, SelectMultiple, label_widgets, slug_choices

SEARCH_PARAM = "q"


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Rows whose slug, name or description contains every word of ``text`` (case-insensitive)."""
    for word in text.split()[:8]:
        queryset = queryset.filter(Q(slug__icontains=word) | Q(name__icontains=word) | Q(description__icontains=word))
    return queryset


class RegisterFilterSet(django_filters.FilterSet):
    """Base of every type's filter set; the workspace limits the choices of reference filters."""

    q = django_filters.CharFilter(method="filter_search", label=_("Search"),
                                  widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}))

    def __init__(self, data=None, queryset=None, *, workspace: Workspace, **kwargs) -> None:
        self.workspace = workspace
        super().__init__(data, queryset, **kwargs)
        from mue.web.custom import scope_link_filters

        scope_link_filters(self, workspace)
        for name, flt in self.filters.items():
            target = getattr(flt, "mue_target", None)
            if target is not None:
                otype = registry.by_singular(target)
                scoped = otype.model.objects.filter(workspace=workspace)
                flt.queryset = scoped
                field = self.form.fields[name]
                field.queryset = scoped
                field.widget = AutocompleteSelectMultiple(
                    reverse("web:object_autocomplete", args=[workspace.slug, type_segment(otype)]),
                    slug_choices(scoped), attrs={"id": f"filter-{name}", "aria-label": str(field.label)})

    def get_form_class(self):
        """The form class, built once per filter set class (django-filter builds one per request).

        Safe to share: forms copy their fields per instance, and the reference fields' querysets and
        widgets are set on the instance's copies in ``__init__``.
        """
        cls = type(self)
        form_class = cls.__dict__.get("_mue_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            cls._mue_form_class = form_class
        return form_class

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_mue_labelled", False):
            label_widgets(form)
            form._mue_labelled = True
        return form

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search(queryset, value) if value else queryset

    @property
    def active(self) -> list[str]:
        """Names of the filters the request uses (to show them open and count them)."""
        data = self.data
        if not self.is_bound or not hasattr(data, "getlist"):
            return []
        return [name for name in self.filters if any(v not in ("", None) for v in data.getlist(name, []))
                or any(data.get(f"{name}_{suffix}") for suffix in ("min", "max", "after", "before"))]


class ReferenceFilter(django_filters.ModelMultipleChoiceFilter):
    """References chosen by slug, compared as objects (django-filter would compare the slug with the id)."""

    def get_filter_predicate(self, v):
        return {self.field_name: v}


_lazy_label = lazy(label_of, str)  # filter sets are built once, shown in each request's language


def _filter_for(mf) -> django_filters.Filter | None:
    f = mf.field
    label = _lazy_label(mf)
    if mf.kind == "ref" or mf.kind == "refs":
        flt = ReferenceFilter(
            field_name=f.name, to_field_name="slug", label=label,
            queryset=registry.by_singular(mf.target).model.objects.none(), distinct=mf.kind == "refs")
        flt.mue_target = mf.target
        return flt
    if mf.kind != "value" or mf.key in ("slug", "name", "description", "tags"):
        return None
    if f.choices:
        widget = SelectMultiple(attrs={"class": "form-select", "data-mue-enhance": ""})
        # distinct=False: a column's own values cannot duplicate rows (DISTINCT over 100k rows costs 1 s).
        return django_filters.MultipleChoiceFilter(field_name=f.name, choices=f.flatchoices, label=label,
                                                   widget=widget, distinct=False)
    if isinstance(f, models.BooleanField):
        return django_filters.BooleanFilter(field_name=f.name, label=label, widget=NullBooleanSelect(
            attrs={"class": "form-select"}))
    if isinstance(f, models.DateField):
        return django_filters.DateFromToRangeFilter(
            field_name=f.name, label=label,
            widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date", "class": "form-control"}))
    if isinstance(f, models.IntegerField | models.DecimalField | models.FloatField):
        return django_filters.RangeFilter(field_name=f.name, label=label, widget=django_filters.widgets.RangeWidget(
            attrs={"class": "form-control", "inputmode": "decimal"}))
    return None


def filterset_for(key: str, definitions: tuple | list = ()) -> type[RegisterFilterSet]:
    """The filter set class of a type, with a filter per custom field of ``definitions`` (``cf_<slug>``)."""
    base = _filterset_of(key)
    if not definitions:
        return base
    from mue.web.custom import filterset_with

    return filterset_with(base, tuple(definitions))


@cache
def _filterset_of(key: str) -> type[RegisterFilterSet]:
    """The filter set class of a type's own fields (built once)."""
    otype: ObjectType = registry[key]
    attrs: dict = {}
    for mf in otype.flat_fields():
        flt = _filter_for(mf)
        if flt is not None:
            attrs[mf.attname if mf.kind != "ref" else mf.field.name] = flt
    meta = type("Meta", (), {"model": otype.model, "fields": []})
    return type(f"{otype.model.__name__}FilterSet", (RegisterFilterSet,), {**attrs, "Meta": meta})
