"""History pages: the one change log (:mod:`mue.core.changelog`) in words.

An entry stores ``before``/``after`` keyed by model attribute names (``vendor_id``, ``depends_on`` as a
list of ids, a document's ``about`` as ``type:id`` strings). This module turns a page of entries into
rows a person reads: who, when, what, and per field its translated label and before → after, choice
values as their labels, references as the names of their targets with links.

Every id of a page is resolved at once: one query per referenced type (:class:`_Resolver`), plus one
for the slugs of objects deleted since, whatever the number of entries. The pages themselves (keyset
pagination, filters, views) are :mod:`mue.web.views.history`.

Types logged outside the registry (comments) declare themselves with :func:`register_logged_type`,
so that this module never imports a domain.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mue.core import custom
from mue.core.custom import Definition
from mue.core.models import ChangeAction, ChangeLogEntry, Workspace
from mue.core.registry import ObjectType, registry
from mue.core.union import union_rows
from mue.web.context import type_segment

# --- types logged outside the registry -------------------------------------------------------------

@dataclass(frozen=True)
class LoggedType:
    """A type the change log knows that is not a register type (a comment).

    Its entries' ``object_slug`` is ``"<singular>:<slug>"`` of the register object they are about, so
    the object's history shows them and the row links to that object.
    """

    name: str
    label: Any
    field_labels: dict[str, Any]


_logged_types: dict[str, LoggedType] = {}


def register_logged_type(name: str, label: Any, field_labels: dict[str, Any]) -> None:
    """Declare a non-register type written to the change log (called from a domain's ``web.py``)."""
    _logged_types[name] = LoggedType(name, label, field_labels)


def logged_types() -> list[LoggedType]:
    """The types declared with :func:`register_logged_type`."""
    return list(_logged_types.values())


# --- what a row shows ------------------------------------------------------------------------------

@dataclass
class Ref:
    """One displayed value: a text, a link when it names an existing object, ``gone`` when deleted."""

    text: str
    url: str | None = None
    gone: bool = False


@dataclass
class FieldChange:
    """One field of an entry: ``before``/``after`` for a value, ``added``/``removed`` for a set of links."""

    label: str
    is_set: bool = False
    before: Ref | None = None
    after: Ref | None = None
    added: list[Ref] = field(default_factory=list)
    removed: list[Ref] = field(default_factory=list)


@dataclass
class HistoryRow:
    entry: ChangeLogEntry
    actor: str
    time: dt.datetime
    action: str
    type_label: str
    obj: Ref
    changes: list[FieldChange]
    aside: bool = False  # an entry of a logged type about the object (a comment), not of the object


@dataclass(frozen=True)
class _Spec:
    """How to show one stored key of a type."""

    label: Any
    kind: str  # value | ref | refs | links
    field: models.Field | None = None
    target: str | None = None  # registry singular of a ref/refs target


_specs_cache: dict[str, dict[str, _Spec]] = {}


def _specs(singular: str) -> dict[str, _Spec]:
    """The stored keys of a type, in the order of its fields: from the registry, then the model's
    other concrete fields (a flow's endpoints) so that every key the log may hold has a label."""
    cached = _specs_cache.get(singular)
    if cached is not None:
        return cached
    specs: dict[str, _Spec] = {}
    if singular in _logged_types:
        # A label, or a model field whose verbose name labels it and whose choices name its values.
        specs = {key: _Spec(v.verbose_name, "value", v) if isinstance(v, models.Field) else _Spec(v, "value")
                 for key, v in _logged_types[singular].field_labels.items()}
    elif _registered(singular):
        otype = registry.by_singular(singular)
        for mf in otype.flat_fields():
            if mf.kind == "links":
                specs[mf.key] = _Spec(gettext_lazy("about"), "links")
            elif mf.field is not None and mf.attname:
                specs[mf.attname] = _Spec(mf.field.verbose_name, mf.kind, mf.field, mf.target)
        for f in list(otype.model._meta.concrete_fields) + list(otype.model._meta.many_to_many):
            key = f.name if f.many_to_many else f.attname
            if key in specs or f.name in ("id", "workspace", "created", "updated"):
                continue
            target = _singular_of(f.related_model) if f.is_relation else None
            kind = "refs" if f.many_to_many else ("ref" if f.is_relation else "value")
            specs[key] = _Spec(f.verbose_name, kind, f, target)
    _specs_cache[singular] = specs
    return specs


def _registered(singular: str | None) -> bool:
    try:
        registry.by_singular(singular)
    except KeyError:
        return False
    return True


def _singular_of(model: type[models.Model] | None) -> str | None:
    try:
        return registry.by_model(model).singular
    except KeyError:
        return None


def _type_label(name: str) -> str:
    if name in _logged_types:
        return str(_logged_types[name].label)
    if _registered(name):
        return registry.by_singular(name).label
    return name


# --- resolving ids: one query per type -------------------------------------------------------------

class _Resolver:
    """Collects the ids (and slugs) a page of entries names, then reads them in one query per type."""

    def __init__(self, workspace: Workspace, definitions: list[Definition] | None = None) -> None:
        self.workspace = workspace
        self.ids: dict[str, set[int]] = defaultdict(set)
        self.slugs: dict[str, set[str]] = defaultdict(set)
        self.by_id: dict[tuple[str, int], tuple[str, str]] = {}
        self.by_slug: dict[tuple[str, str], str] = {}
        self.deleted: dict[tuple[str, int], str] = {}
        #: definitions the caller has read already (a detail page: those of its type), by (type, slug)
        self._known = {(d.object_type, d.slug): d for d in definitions or ()}
        self._custom: dict[tuple[str, str], Definition] | None = None

    def custom_field(self, singular: str, slug: str) -> Definition | None:
        """The workspace's custom field ``slug`` of a type (its definitions read once, when a value of a
        type the caller did not give shows)."""
        key = (registry.by_singular(singular).key, slug)
        if key in self._known:
            return self._known[key]
        if self._custom is None:
            self._custom = {(d.object_type, d.slug): d for d in custom.definitions(self.workspace)}
        return self._custom.get(key)

    def want(self, singular: str | None, pk: Any) -> None:
        if _registered(singular) and isinstance(pk, int):
            self.ids[singular].add(pk)

    def want_slug(self, singular: str, slug: str) -> None:
        if _registered(singular):
            self.slugs[singular].add(slug)

    def run(self) -> None:
        named = sorted(set(self.ids) | set(self.slugs))
        parts = [registry.by_singular(singular).model.objects.in_workspace(self.workspace).filter(
            Q(pk__in=sorted(self.ids[singular])) | Q(slug__in=sorted(self.slugs[singular]))) for singular in named]
        for n, pk, slug, name in union_rows(parts, ("pk", "slug", "name")):  # one query for every type
            singular = named[n]
            self.by_id[(singular, pk)] = (slug, name)
            self.by_slug[(singular, slug)] = name
        missing = [(s, pk) for s, pks in self.ids.items() for pk in pks if (s, pk) not in self.by_id]
        if missing:
            # Objects deleted since: their delete entry still knows their slug (one query for all).
            by_type: dict[str, list[int]] = defaultdict(list)
            for singular, pk in missing:
                by_type[singular].append(pk)
            condition = Q()
            for singular, pks in sorted(by_type.items()):
                condition |= Q(object_type=singular, object_id__in=sorted(pks))
            rows = ChangeLogEntry.objects.filter(workspace=self.workspace, action=ChangeAction.DELETE).filter(
                condition).values_list("object_type", "object_id", "object_slug")
            for singular, pk, slug in rows:
                self.deleted[(singular, pk)] = slug

    def ref(self, singular: str | None, pk: Any) -> Ref:
        if singular is None or not isinstance(pk, int):
            return Ref(str(pk))
        found = self.by_id.get((singular, pk))
        if found is not None:
            slug, name = found
            return Ref(name or slug, object_url(self.workspace, singular, slug))
        slug = self.deleted.get((singular, pk))
        if slug is not None:
            return Ref(_("%(slug)s (deleted)") % {"slug": slug}, gone=True)
        return Ref(_("#%(id)s (deleted)") % {"id": pk}, gone=True)

    def ref_by_slug(self, singular: str, slug: str) -> Ref:
        name = self.by_slug.get((singular, slug))
        if name is None:
            return Ref(slug, gone=True)
        return Ref(name or slug, object_url(self.workspace, singular, slug))


def object_url(workspace: Workspace, singular: str, slug: str) -> str | None:
    """The detail page of an object, or None when the pages do not serve it (yet)."""
    try:
        segment = type_segment(registry.by_singular(singular).key)
        return reverse("web:object_detail", args=[workspace.slug, segment, slug])
    except (KeyError, NoReverseMatch):
        return None


# --- formatting values -----------------------------------------------------------------------------

def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _text(spec: _Spec | None, value: Any) -> str:
    """A stored value in words: choice labels, Yes/No, localised dates and numbers."""
    if _is_empty(value):
        return _("(empty)")
    f = spec.field if spec else None
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if f is not None and f.choices:
        labels = {str(k): v for k, v in f.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(f, models.DateTimeField) and isinstance(value, str):
        try:
            return formats.localize(timezone.localtime(dt.datetime.fromisoformat(value)))
        except ValueError:
            return value
    if isinstance(f, models.DateField) and isinstance(value, str):
        try:
            return formats.localize(dt.date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(f, models.DecimalField | models.FloatField | models.IntegerField):
        return formats.localize(value, use_l10n=True)
    return str(value)


def _prepare(entries: Iterable[ChangeLogEntry], resolver: _Resolver) -> None:
    """First pass: tell the resolver every id and slug the entries name."""
    for entry in entries:
        if entry.object_type in _logged_types:
            singular, _sep, slug = entry.object_slug.partition(":")
            resolver.want_slug(singular, slug)
            continue
        resolver.want(entry.object_type, entry.object_id)
        specs = _specs(entry.object_type)
        for values in (entry.before or {}, entry.after or {}):
            for key, value in values.items():
                spec = specs.get(key)
                if spec is None:
                    continue
                if spec.kind == "ref":
                    resolver.want(spec.target, value)
                elif spec.kind == "refs":
                    for pk in value or ():
                        resolver.want(spec.target, pk)
                elif spec.kind == "links":
                    for link in value or ():
                        kind, _sep, pk = str(link).partition(":")
                        if pk.isdigit():
                            resolver.want(kind, int(pk))
                elif spec.kind == "custom" and isinstance(value, dict):
                    for slug, held in value.items():
                        definition = resolver.custom_field(entry.object_type, slug)
                        if definition is not None and definition.target is not None and isinstance(held, str):
                            resolver.want_slug(definition.target.singular, held)


def _link_ref(resolver: _Resolver, link: str) -> Ref:
    kind, _sep, pk = str(link).partition(":")
    ref = resolver.ref(kind, int(pk)) if pk.isdigit() else Ref(str(link))
    ref.text = _("%(type)s %(name)s") % {"type": _type_label(kind), "name": ref.text}
    return ref


def _set_member(resolver: _Resolver, spec: _Spec):
    """How to show one member of a set of links: an id of the target type, or a ``type:id`` link."""
    if spec.kind == "refs":
        return lambda value: resolver.ref(spec.target, value)
    return lambda value: _link_ref(resolver, value)


def _changes(entry: ChangeLogEntry, resolver: _Resolver) -> list[FieldChange]:
    specs = _specs(entry.object_type)
    before, after = entry.before or {}, entry.after or {}
    keys = list(dict.fromkeys([*after, *before]))
    order = {key: i for i, key in enumerate(specs)}
    keys.sort(key=lambda k: order.get(k, len(order)))
    out: list[FieldChange] = []
    for key in keys:
        spec = specs.get(key)
        old, new = before.get(key), after.get(key)
        if spec is not None and spec.kind == "custom":
            out.extend(_custom_changes(entry, old or {}, new or {}, resolver))
            continue
        if entry.action != ChangeAction.UPDATE and _is_empty(old) and _is_empty(new):
            continue  # a create or delete shows the values it had, not every empty field
        label = str(spec.label) if spec else key
        change = FieldChange(label=label[:1].upper() + label[1:])
        if spec is not None and spec.kind in ("refs", "links"):
            change.is_set = True
            old_set, new_set = set(old or ()), set(new or ())
            show = _set_member(resolver, spec)
            change.added = [show(v) for v in sorted(new_set - old_set, key=str)]
            change.removed = [show(v) for v in sorted(old_set - new_set, key=str)]
        elif spec is not None and spec.kind == "ref":
            change.before = resolver.ref(spec.target, old) if old is not None else Ref(_("(empty)"))
            change.after = resolver.ref(spec.target, new) if new is not None else Ref(_("(empty)"))
        else:
            change.before, change.after = Ref(_text(spec, old)), Ref(_text(spec, new))
        if entry.action == ChangeAction.CREATE:
            change.before = None
        elif entry.action == ChangeAction.DELETE:
            change.after = None
        out.append(change)
    return out


def _custom_changes(entry: ChangeLogEntry, old: dict, new: dict, resolver: _Resolver) -> list[FieldChange]:
    """The custom fields' values as fields of their own, labelled by the workspace's names."""
    out = []
    for slug in dict.fromkeys([*new, *old]):
        if old.get(slug) == new.get(slug):
            continue
        definition = resolver.custom_field(entry.object_type, slug)
        change = FieldChange(label=definition.name if definition else slug)
        if entry.action != ChangeAction.CREATE:
            change.before = _custom_ref(definition, old.get(slug), resolver)
        if entry.action != ChangeAction.DELETE:
            change.after = _custom_ref(definition, new.get(slug), resolver)
        out.append(change)
    return out


def _custom_ref(definition: Definition | None, value: Any, resolver: _Resolver) -> Ref:
    """One custom value in words: a linked object by its name, else as its kind reads (dates, yes/no)."""
    target = definition.target if definition else None
    if target is not None:
        return resolver.ref_by_slug(target.singular, value) if isinstance(value, str) and value else Ref(_("(empty)"))
    return Ref(_text(_Spec("", "value", definition.map_field().field if definition else None), value))


def build_rows(entries: list[ChangeLogEntry], workspace: Workspace,
               definitions: list[Definition] | None = None) -> list[HistoryRow]:
    """Readable rows for a page of entries (of one workspace), with a fixed number of queries
    (``definitions``: custom fields the caller has read already)."""
    resolver = _Resolver(workspace, definitions)
    _prepare(entries, resolver)
    resolver.run()
    rows = []
    for entry in entries:
        if entry.object_type in _logged_types:
            singular, _sep, slug = entry.object_slug.partition(":")
            target = resolver.ref_by_slug(singular, slug)
            target.text = _("on %(type)s %(name)s") % {"type": _type_label(singular), "name": target.text}
            obj = target
        else:
            obj = resolver.ref(entry.object_type, entry.object_id)
            if obj.gone:
                obj = Ref(entry.object_slug, gone=True)
        actor = entry.actor.get_full_name() if entry.actor_id and entry.actor else ""
        rows.append(HistoryRow(
            entry=entry,
            actor=actor or entry.actor_name,
            time=entry.time,
            action=entry.get_action_display(),
            type_label=_type_label(entry.object_type),
            obj=obj,
            changes=_changes(entry, resolver),
            aside=entry.object_type in _logged_types,
        ))
    return rows


# --- an object's entries ------------------------------------------------------------------------

def object_entries(workspace: Workspace, otype: ObjectType, obj: models.Model) -> models.QuerySet:
    """The entries of one object: its own, and those of logged types about it (its comments)."""
    condition = Q(object_type=otype.singular, object_id=obj.pk)
    for name in _logged_types:
        condition |= Q(object_type=name, object_slug=f"{otype.singular}:{obj.slug}")
    return ChangeLogEntry.objects.filter(workspace=workspace).filter(condition)


def render_object_history(request: HttpRequest, workspace: Workspace, obj: models.Model, otype: ObjectType,
                          limit: int = 20, definitions: list[Definition] | None = None) -> SafeString:
    """The last ``limit`` entries of an object as a compact timeline, for its detail page (which links
    to the whole history, ``web:object_history``; ``definitions``: the type's custom fields, read by the page)."""
    entries = list(object_entries(workspace, otype, obj).select_related("actor").order_by("-time", "-id")[:limit])
    return render_to_string("web/history/_timeline.html", {"rows": build_rows(entries, workspace, definitions)},
                            request=request)
