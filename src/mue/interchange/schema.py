"""The JSON Schema of map-as-code files, derived from the registry (``docs/map-schema.json``)."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import translation

from mue.core.custom import KEY_PATTERN as _CUSTOM_KEY
from mue.core.models import SLUG_PATTERN, Workspace, WorkspaceKind
from mue.core.registry import ENDPOINT_TYPES, MapField, ObjectType, registry

FORMAT = "mue-map/1"
_SLUG = SLUG_PATTERN
_REF = {"type": ["string", "null"], "pattern": _SLUG, "maxLength": 100}
_DATE = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"}


def _integer_bound(field: models.Field) -> int:
    """The largest value the column holds on both databases (PostgreSQL's integer types)."""
    if isinstance(field, models.SmallIntegerField | models.PositiveSmallIntegerField):
        return 2**15 - 1
    if isinstance(field, models.BigIntegerField | models.PositiveBigIntegerField):
        return 2**63 - 1
    return 2**31 - 1


def value_schema(field: models.Field) -> dict[str, Any]:
    """The schema of one model field's value."""
    nullable = field.null or field.blank
    # null stands for "empty" (the column's default when it is not nullable): a column with neither
    # cannot take it, so the schema refuses it rather than the database.
    clearable = field.null or field.has_default()
    choices = [value for value, _ in field.flatchoices] if field.choices else None
    if isinstance(field, models.BooleanField):
        schema: dict[str, Any] = {"type": ["boolean", "null"] if field.null else "boolean"}
    elif isinstance(field, models.DateField):
        schema = dict(_DATE) if clearable else {**_DATE, "type": "string"}
    elif isinstance(field, models.IntegerField):
        schema = {"type": ["integer", "null"] if nullable and clearable else "integer",
                  "maximum": _integer_bound(field)}
        if isinstance(field, models.PositiveIntegerField | models.PositiveSmallIntegerField):
            schema["minimum"] = 0
        else:
            schema["minimum"] = -_integer_bound(field) - 1
    elif isinstance(field, models.DecimalField):
        # At most what the column holds and its validators allow (a percentage: 100), so that a value
        # out of range is a problem on its field, never a database error.
        limits = [Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal(10) ** -field.decimal_places]
        limits += [Decimal(v.limit_value) for v in field.validators if isinstance(v, MaxValueValidator)]
        schema = {"type": ["number", "null"] if nullable and clearable else "number", "minimum": 0,
                  "maximum": float(min(limits))}
    elif isinstance(field, models.JSONField):  # tags
        schema = {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 50}}
    else:
        schema = {"type": ["string", "null"] if nullable else "string"}
        if field.max_length:
            schema["maxLength"] = field.max_length
    if choices:
        schema["enum"] = [*choices, *([None] if nullable else []), *([""] if field.blank and "" not in choices else [])]
    if field.help_text:
        schema["description"] = str(field.help_text)
    elif field.verbose_name:
        schema["description"] = str(field.verbose_name)
    return schema


def field_schema(mf: MapField) -> dict[str, Any]:
    if mf.kind == "value":
        return value_schema(mf.field)
    if mf.kind == "ref":
        ref = _REF if mf.field is None or mf.field.null else {**_REF, "type": "string"}  # never cleared
        return {**ref, "description": f"slug of a {mf.target}"}
    if mf.kind == "refs":
        return {"type": "array", "items": {"type": "string", "pattern": _SLUG}, "uniqueItems": True,
                "description": f"slugs of {registry.by_singular(mf.target).key}"}
    if mf.kind == "group":
        return {"type": "object", "additionalProperties": False,
                "properties": {m.key: field_schema(m) for m in mf.members}}
    if mf.kind == "endpoint":
        prefixes = "|".join(ENDPOINT_TYPES)
        return {"type": "string", "pattern": f"^(({prefixes}):)?{_SLUG[1:-1]}$",
                "description": "slug of an application, or unit:SLUG, party:SLUG, asset:SLUG"}
    if mf.kind == "custom":
        return {"type": "object", "propertyNames": {"pattern": _CUSTOM_KEY, "maxLength": 100},
                "additionalProperties": {"type": ["string", "number", "boolean", "null"]},
                "description": "values of the workspace's custom fields of this type, by the field's slug: text, "
                               "number, date (YYYY-MM-DD), yes/no, one of the allowed values, or the slug of the "
                               "linked object; null clears one; keys left out are kept"}
    if mf.kind == "links":
        return {"type": "array", "uniqueItems": True,
                "items": {"type": "string", "pattern": f"^[a-z_]+:{_SLUG[1:-1]}$"},
                "description": "objects of any type, as TYPE:SLUG (service:cantine)"}
    raise ValueError(mf.kind)


def required_keys(otype: ObjectType) -> list[str]:
    if getattr(otype.model.Map, "endpoints", None):
        return list(otype.model.Map.endpoints)  # flows: slug and name are derived when absent
    if getattr(otype.model.Map, "identity", None):
        return []  # derived from the identity keys when absent (the importer says which are missing)
    return ["slug", "name"]


@cache
def object_schema(key: str) -> dict[str, Any]:
    """The schema of one type's items; descriptions in English, the format's reference language."""
    with translation.override("en"):
        return _object_schema(registry[key])


def _object_schema(otype: ObjectType) -> dict[str, Any]:
    props = {mf.key: field_schema(mf) for mf in otype.fields}
    props["slug"] = {"type": "string", "pattern": _SLUG, "maxLength": 100}
    props["name"] = {"type": "string", "minLength": 1, "maxLength": 200}
    required_new = [mf.key for mf in otype.fields if mf.required_on_create]
    if required_new:
        props["slug"]["description"] = (
            "New objects also need: " + ", ".join(required_new) + " (updates of existing ones may leave them out).")
    return {"type": "object", "title": otype.label, "additionalProperties": False,
            "required": required_keys(otype), "properties": props}


def workspace_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["slug", "name"],
        "properties": {
            "slug": {"type": "string", "pattern": _SLUG, "maxLength": 100},
            "name": {"type": "string", "minLength": 1, "maxLength": 200},
            "description": {"type": "string"},
            "kind": {"enum": list(WorkspaceKind.values)},
            "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
            "population": {"type": ["integer", "null"], "minimum": 0},
            "language": {"enum": [code for code, _ in Workspace._meta.get_field("language").choices]},
        },
    }


def document_schema() -> dict[str, Any]:
    """The whole file: ``workspace`` and one top-level list per object type."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://mue.example.org/schema/mue-map-1.json",
        "title": "Mue map of a workspace",
        "description": "A whole workspace as code; references are slugs. Generated by `mue schema`.",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "format": {"const": FORMAT},
            "workspace": workspace_schema(),
            **{t.key: {"type": "array", "items": {"$ref": f"#/$defs/{t.key}"}} for t in registry},
        },
        "$defs": {t.key: object_schema(t.key) for t in registry},
    }
