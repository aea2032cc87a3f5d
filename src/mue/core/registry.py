"""The registry of object types: one place that knows every type of the register.

A concrete :class:`~mue.core.models.RegisterObject` declares an inner ``Map`` class::

    class Map:
        key = "applications"          # top-level list in map-as-code files
        order = 60                    # import order (referenced types first)
        rename = {"assets": "runs_on"}  # model field -> map key
        groups = {"needs": {"availability": "need_availability", ...}}
        endpoints = {"from": "source", "to": "target"}   # flows: one of several foreign keys
        links = "about"               # documents: references to objects of any type
        exclude = ["file"]
        identity = ("person", "competence")   # slug and name derived from these when absent; one
                                              # object per identity (skill assessments)
        check = staticmethod(lambda item: [])  # the type's own checks of a new item: [(key, message)]

Everything else (import, export, JSON Schema, CSV/XLSX templates, admin, change-log type names)
is derived from the model fields and this declaration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models

COMMON_KEYS = ("slug", "name", "description", "tags")
_NOT_MAPPED = {"id", "workspace", "created", "updated"}

# The types a flow endpoint may be, with the prefix used to disambiguate ("unit:dgs").
ENDPOINT_TYPES = ("application", "unit", "party", "asset")


@dataclass(frozen=True)
class MapField:
    """One key of an object in a map-as-code file."""

    key: str
    kind: str  # value | ref | refs | group | endpoint | links | custom
    attname: str | None = None
    field: models.Field | None = None
    target: str | None = None  # singular name of the referenced type (ref, refs)
    members: tuple[MapField, ...] = ()
    model_field_prefix: str | None = None  # endpoint: "source" / "target"

    @property
    def choices(self) -> list[Any] | None:
        if self.field is not None and self.field.choices:
            return [value for value, _label in self.field.flatchoices]
        return None

    @property
    def required_on_create(self) -> bool:
        """A new object must give this key: the column has no default and cannot be empty (a reference
        that cannot be null, e.g. the cost line of a cost share, included)."""
        f = self.field
        if self.kind == "ref":
            return f is not None and not f.null
        return (self.kind == "value" and f is not None and not f.null and not f.blank
                and not f.has_default() and self.key not in ("slug", "name"))


@dataclass
class ObjectType:
    """What Mue knows of one type of object."""

    model: type[models.Model]
    key: str
    singular: str
    order: int
    fields: list[MapField] = field(default_factory=list)
    section: str = ""  # the navigation section its list is in: its app's, unless ``Map.section`` says

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def label_plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def field(self, key: str) -> MapField:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    def flat_fields(self) -> list[MapField]:
        """Fields with groups expanded (``needs.availability``), as in a spreadsheet's columns."""
        out: list[MapField] = []
        for f in self.fields:
            if f.kind == "group":
                out.extend(f.members)
            else:
                out.append(f)
        return out

    @property
    def m2m_fields(self) -> list[MapField]:
        return [f for f in self.fields if f.kind == "refs"]

    @property
    def self_refs(self) -> list[MapField]:
        return [f for f in self.fields if f.kind == "ref" and f.target == self.singular]


class Registry:
    def __init__(self) -> None:
        self._types: dict[str, ObjectType] = {}
        self._by_model: dict[type, ObjectType] = {}
        self._by_singular: dict[str, ObjectType] = {}

    def __iter__(self):
        return iter(sorted(self._types.values(), key=lambda t: t.order))

    def __len__(self) -> int:
        return len(self._types)

    def __getitem__(self, key: str) -> ObjectType:
        return self._types[key]

    def __contains__(self, key: str) -> bool:
        return key in self._types

    def keys(self) -> list[str]:
        return [t.key for t in self]

    def by_model(self, model: type) -> ObjectType:
        return self._by_model[model]

    def by_singular(self, singular: str) -> ObjectType:
        return self._by_singular[singular]

    def lookup(self, name: str) -> ObjectType:
        """A type by its plural key or singular name ("applications" or "application")."""
        if name in self._types:
            return self._types[name]
        return self._by_singular[name]

    def register(self, model: type[models.Model]) -> ObjectType:
        spec = model.Map
        singular = getattr(spec, "singular", model._meta.model_name)
        otype = ObjectType(model=model, key=spec.key, singular=singular, order=getattr(spec, "order", 100),
                           section=getattr(spec, "section", model._meta.app_label))
        self._types[otype.key] = otype
        self._by_model[model] = otype
        self._by_singular[singular] = otype
        return otype

    def resolve_fields(self) -> None:
        """Derive every type's map fields once all types are registered (references need targets)."""
        for otype in self._types.values():
            otype.fields = _derive_fields(otype.model, self._by_model)


def _derive_fields(model: type[models.Model], by_model: dict[type, ObjectType]) -> list[MapField]:
    spec = model.Map
    rename: dict[str, str] = getattr(spec, "rename", {})
    exclude = set(getattr(spec, "exclude", ()))
    groups: dict[str, dict[str, str]] = getattr(spec, "groups", {})
    endpoints: dict[str, str] = getattr(spec, "endpoints", {})
    grouped = {attr: (group, sub) for group, members in groups.items() for sub, attr in members.items()}
    endpoint_prefixes = tuple(f"{prefix}_" for prefix in endpoints.values())

    fields: list[MapField] = []
    group_members: dict[str, list[MapField]] = {g: [] for g in groups}
    for f in list(model._meta.concrete_fields) + list(model._meta.many_to_many):
        if f.name in _NOT_MAPPED or f.name in exclude or f.name.startswith(endpoint_prefixes):
            continue
        key = rename.get(f.name, f.name)
        if f.name == "custom":  # the workspace's custom fields of the type (mue.core.custom)
            fields.append(MapField(key="custom", kind="custom", attname=f.attname, field=f))
            continue
        if f.many_to_many:
            mf = MapField(key=key, kind="refs", attname=f.name, field=f, target=by_model[f.related_model].singular)
        elif f.is_relation:
            mf = MapField(key=key, kind="ref", attname=f.attname, field=f, target=by_model[f.related_model].singular)
        else:
            mf = MapField(key=key, kind="value", attname=f.attname, field=f)
        if f.name in grouped:
            group, sub = grouped[f.name]
            group_members[group].append(MapField(key=sub, kind=mf.kind, attname=mf.attname, field=f, target=mf.target))
        else:
            fields.append(mf)
    for group in groups:
        fields.append(MapField(key=group, kind="group", members=tuple(group_members[group])))
    for key, prefix in endpoints.items():
        fields.append(MapField(key=key, kind="endpoint", model_field_prefix=prefix))
    if getattr(spec, "links", None):
        fields.append(MapField(key=spec.links, kind="links"))
    # Common keys first, in a fixed order, then the type's own in model order, custom fields last.
    common = [f for k in COMMON_KEYS for f in fields if f.key == k]
    custom = [f for f in fields if f.kind == "custom"]
    return common + [f for f in fields if f.key not in COMMON_KEYS and f.kind != "custom"] + custom


registry = Registry()


def build() -> Registry:
    """Register every concrete register-object model (called from CoreConfig.ready)."""
    from mue.core.models import RegisterObject

    if len(registry):
        return registry
    for model in apps.get_models():
        if issubclass(model, RegisterObject) and hasattr(model, "Map"):
            registry.register(model)
    registry.resolve_fields()
    return registry
