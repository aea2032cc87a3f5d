"""The create/edit form of any register type, derived from its registry entry, saved through the importer.

A form does not write the object itself: it turns what was typed into a map item (the shape of a
map-as-code file) and hands it to :func:`mue.interchange.importer.import_document`. The register
then has one set of rules and one set of messages — a value refused in a spreadsheet is refused
with the same words in the browser — one way of writing (all or nothing, links by slug within the
workspace) and one change log.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django import forms
from django.db import models
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mue.core import custom
from mue.core.custom import COLUMN_PREFIX
from mue.core.forms import TagsField
from mue.core.models import CustomField, Workspace
from mue.core.registry import ENDPOINT_TYPES, MapField, ObjectType, registry
from mue.interchange.importer import ImportFailed, ImportReport, import_document
from mue.web.custom import GROUP_LABEL as CUSTOM_GROUP
from mue.web.custom import form_field as custom_form_field
from mue.web.custom import typed_value
from mue.web.spec import label_of, type_segment
from mue.web.widgets import AutocompleteSelect, AutocompleteSelectMultiple, label_widgets, slug_choices

_lazy_label = lazy(label_of, str)
UNCHANGED = "__unchanged__"  # bulk edit: the field keeps each object's value


def form_name(key: str) -> str:
    """A map key as a form field name (``needs.availability`` -> ``needs__availability``)."""
    return key.replace(".", "__")


def _typed_choices(workspace: Workspace, kinds: tuple[str, ...]):
    """Choices of ``type:slug`` references (a flow's endpoint, a document's subjects)."""

    def choices_for(refs: list[str]):
        wanted: dict[str, list[str]] = {}
        for ref in refs:
            kind, _sep, slug = str(ref).partition(":")
            wanted.setdefault(kind, []).append(slug)
        out = []
        for kind, slugs in wanted.items():
            if kind not in kinds:
                continue
            otype = registry.by_singular(kind)
            for slug, name in otype.model.objects.filter(workspace=workspace, slug__in=slugs).values_list("slug",
                                                                                                         "name"):
                out.append((f"{kind}:{slug}", f"{capfirst(otype.label)}: {name} ({slug})"))
        return out

    return choices_for


class TypedReferenceField(forms.MultipleChoiceField):
    """``type:slug`` values, checked by the importer (which knows the workspace's objects)."""

    def valid_value(self, value: str) -> bool:
        return ":" in str(value)


def _value_field(mf: MapField) -> forms.Field:
    f = mf.field
    if mf.key == "tags":
        return TagsField(label=_lazy_label(mf))
    kwargs: dict[str, Any] = {"label": _lazy_label(mf), "required": False}
    if isinstance(f, models.URLField):
        kwargs["assume_scheme"] = "https"
    field = f.formfield(**kwargs)
    if mf.key == "name":
        field.required = True
    if isinstance(f, models.DateField):
        field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    if isinstance(f, models.BooleanField) and not f.null:
        field = forms.BooleanField(label=_lazy_label(mf), required=False)
    if f.help_text:
        field.help_text = f.help_text
    return field


class RegisterObjectForm(forms.Form):
    """The form of one type in one workspace; ``otype`` and ``workspace`` are given at construction."""

    def __init__(self, *args: Any, otype: ObjectType, workspace: Workspace, instance: Any = None,
                 bulk: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.otype, self.workspace, self.instance, self.bulk = otype, workspace, instance, bulk
        self.groups: list[tuple[str, list[str]]] = []  # (legend, field names) in order
        general: list[str] = []
        own: list[str] = []
        for mf in otype.fields:
            if mf.kind == "custom":
                continue  # a field per custom field of the workspace, below
            if mf.kind == "group":
                names = []
                for member in mf.members:
                    name = form_name(f"{mf.key}.{member.key}")
                    self.fields[name] = self._field(member)
                    names.append(name)
                self.groups.append((label_of(mf), names))
                continue
            if bulk and mf.key in ("slug", "name"):
                continue
            name = form_name(mf.key)
            self.fields[name] = self._field(mf)
            (general if mf.key in ("slug", "name", "description", "tags") else own).append(name)
        if instance is not None and "slug" in self.fields:
            self.fields["slug"].disabled = True  # stable ids: a slug is how maps and links name the object
            self.fields["slug"].help_text = _("The stable id of the object, used by map files and links.")
        elif "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("Leave empty to derive it from the name.")
        self.groups.insert(0, (_("General"), general))
        if own:
            self.groups.insert(1, (_("Details"), own))
        self.custom_fields = custom.definitions(workspace, otype.key) if otype.key != CustomField.Map.key else []
        if self.custom_fields:
            names = []
            for definition in self.custom_fields:
                name = form_name(definition.column)
                self.fields[name] = custom_form_field(definition, workspace)
                names.append(name)
            self.groups.append((str(CUSTOM_GROUP), names))
        if bulk:
            for field in self.fields.values():
                field.required = False
        label_widgets(self)
        for field in self.fields.values():
            widget = field.widget
            css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else (
                "form-select" if isinstance(widget, forms.Select) else "form-control")
            widget.attrs.setdefault("class", css)

    def _field(self, mf: MapField) -> forms.Field:
        ws = self.workspace
        if mf.kind == "value" and isinstance(mf.field, models.JSONField) and mf.key != "tags":
            field = TagsField(label=_lazy_label(mf), required=False, help_text=mf.field.help_text)
        elif mf.kind == "value":
            field = _value_field(mf)
        elif mf.kind in ("ref", "refs"):
            target = registry.by_singular(mf.target)
            url = reverse("web:object_autocomplete", args=[ws.slug, type_segment(target)])
            scoped = target.model.objects.filter(workspace=ws)
            if mf.kind == "ref":
                field = forms.ModelChoiceField(scoped, to_field_name="slug", required=not mf.field.null,
                                               label=_lazy_label(mf),
                                               widget=AutocompleteSelect(url, slug_choices(scoped)))
            else:
                widget = AutocompleteSelectMultiple(url, slug_choices(scoped))
                field = forms.ModelMultipleChoiceField(scoped, to_field_name="slug", required=False,
                                                       label=_lazy_label(mf), widget=widget)
        elif mf.kind == "endpoint":
            url = reverse("web:reference_autocomplete", args=[ws.slug]) + "?types=" + ",".join(ENDPOINT_TYPES)
            field = forms.CharField(required=not self.bulk, label=_lazy_label(mf),
                                    widget=AutocompleteSelect(url, _typed_choices(ws, ENDPOINT_TYPES)))
        else:  # links: a document's subjects, of any type
            url = reverse("web:reference_autocomplete", args=[ws.slug])
            kinds = tuple(t.singular for t in registry)
            field = TypedReferenceField(required=False, label=_lazy_label(mf),
                                        widget=AutocompleteSelectMultiple(url, _typed_choices(ws, kinds)))
        if self.bulk:
            field.required = False
        return field

    # -- form -> map item -------------------------------------------------------------------------

    def item(self) -> dict[str, Any]:
        """What was typed, as a map item (keys absent: unchanged; ``None``: cleared)."""
        data = self.cleaned_data
        item: dict[str, Any] = {}
        values = {d.slug: typed_value(d, data.get(form_name(d.column))) for d in self.custom_fields
                  if self._included(form_name(d.column))}
        if values:
            item["custom"] = values
        for mf in self.otype.fields:
            if mf.kind == "custom":
                continue  # its fields are the workspace's (above)
            if mf.kind == "group":
                group = {}
                for member in mf.members:
                    name = form_name(f"{mf.key}.{member.key}")
                    if self._included(name):
                        value = _stored(member, _plain(data.get(name)))
                        if value is not _SKIP:
                            group[member.key] = value
                if group:
                    item[mf.key] = group
                continue
            name = form_name(mf.key)
            if name not in self.fields or not self._included(name) or self.fields[name].disabled:
                continue
            value = data.get(name)
            if mf.kind == "ref":
                value = value.slug if value is not None else None
            elif mf.kind == "refs":
                value = sorted(o.slug for o in value) if value is not None else []
            elif mf.kind == "endpoint":
                value = value or None  # "application:crm": the importer reads the prefixed form
            elif mf.kind == "links":
                value = sorted(value or [])
            else:
                value = _stored(mf, _plain(value))
                if value is _SKIP or (mf.key == "slug" and not value):
                    continue
            item[mf.key] = value
        return item

    def _included(self, name: str) -> bool:
        """In a bulk edit only the fields ticked "change" are written; in a form, all of them."""
        return not self.bulk or bool(self.data.get(f"change__{name}"))

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or ""
        if self.instance is None and slug and self.otype.model.objects.filter(
                workspace=self.workspace, slug=slug).exists():
            raise forms.ValidationError(_("There is already a %(type)s with this slug in the workspace.")
                                        % {"type": self.otype.label})
        return slug

    def apply_problems(self, failed: ImportFailed) -> None:
        """Put the importer's problems on the fields they name (the rest on the form)."""
        for problem in failed.problems:
            name = form_name(problem.field.split("[", 1)[0]) if problem.field else ""
            message = problem.message
            prefix = f"{self.otype.label} '"
            if message.startswith(prefix) and "': " in message:
                message = message.split("': ", 1)[1]  # the field says which object it is
            if name in self.fields:
                self.add_error(name, message)
            else:
                self.add_error(None, message)

    def save(self, actor: str) -> ImportReport | None:
        """Write the object through the importer; on refusal, the problems go on the form (returns None)."""
        item = self.item()
        if self.instance is not None:
            item["slug"] = self.instance.slug
        elif "slug" not in item and item.get("name"):
            from mue.interchange.sources import slugify

            item["slug"] = slugify(item["name"])
        self.saved_slug = item.get("slug")  # flows derive theirs in the importer (from their endpoints)
        return self.import_items([item], actor)

    def import_items(self, items: list[dict[str, Any]], actor: str) -> ImportReport | None:
        try:
            return import_document({self.otype.key: items}, source=str(self.otype.label_plural),
                                   workspace=self.workspace.slug, actor=actor, channel="web")
        except ImportFailed as failed:
            self.apply_problems(failed)
            return None


def _plain(value: Any) -> Any:
    """A cleaned form value as the JSON of a map item."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


_SKIP = object()


def _stored(mf: MapField, value: Any) -> Any:
    """An empty form value in the item: ``null`` where the column can be empty, the empty text for text
    columns, and left out (the default applies; an edit keeps the value) where neither is possible."""
    f = mf.field
    if value is None or value == "":
        if f.null:
            return None
        if isinstance(f, models.CharField | models.TextField) and f.blank:
            return ""
        return _SKIP
    return value


def initial_of(otype: ObjectType, obj: Any) -> dict[str, Any]:
    """A stored object's values as the form's initial data."""
    initial: dict[str, Any] = {}
    for mf in otype.fields:
        if mf.kind == "group":
            for member in mf.members:
                initial[form_name(f"{mf.key}.{member.key}")] = getattr(obj, member.attname)
        elif mf.kind == "value":
            initial[form_name(mf.key)] = getattr(obj, mf.attname)
        elif mf.kind == "ref":
            target = getattr(obj, mf.field.name)
            initial[form_name(mf.key)] = target.slug if target is not None else None
        elif mf.kind == "refs":
            initial[form_name(mf.key)] = [o.slug for o in getattr(obj, mf.attname).all()]
        elif mf.kind == "endpoint":
            for kind in ENDPOINT_TYPES:
                target = getattr(obj, f"{mf.model_field_prefix}_{kind}")
                if target is not None:
                    initial[form_name(mf.key)] = f"{kind}:{target.slug}"
        elif mf.kind == "links":
            initial[form_name(mf.key)] = document_links_of(obj)
        elif mf.kind == "custom":
            for key, value in (getattr(obj, mf.attname) or {}).items():
                initial[form_name(f"{COLUMN_PREFIX}{key}")] = value
    return initial


def document_links_of(obj: Any) -> list[str]:
    """A document's subjects as ``type:slug`` (its links are keyed by type name and id)."""
    links = list(obj.links.values_list("target_type", "target_id"))
    out = []
    by_type: dict[str, list[int]] = {}
    for kind, target_id in links:
        by_type.setdefault(kind, []).append(target_id)
    for kind, ids in by_type.items():
        model = registry.by_singular(kind).model
        out += [f"{kind}:{slug}" for slug in model.objects.filter(pk__in=ids).values_list("slug", flat=True)]
    return sorted(out)


BULK_HELP = gettext_lazy("Tick “change” next to a field to set it on every selected object; other fields stay "
                         "as they are on each object.")
