"""The OpenAPI side of the register endpoints, derived from the registry like the map files' schema.

An object in the API is its map item (:mod:`mue.interchange.schema`): the shape of a map file's
entry, references by slug, so a script reads, writes and bulk-loads the same documents that
``mue import`` takes. Query parameters are derived from the type's filter set (:mod:`mue.web.filters`).
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

import django_filters

from mue.core.registry import ObjectType, registry
from mue.interchange.schema import object_schema
from mue.web import keyset
from mue.web.filters import ReferenceFilter, filterset_for
from mue.web.spec import spec_for

BULK_LIMIT = 10_000


def component(otype: ObjectType, role: str = "") -> str:
    """Component names: ``Application`` (answers), ``ApplicationNew`` (create), ``ApplicationChanges`` (PATCH)."""
    return f"{otype.model.__name__}{role}"


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _without_required(schema: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(schema)
    out.pop("required", None)
    return out


@cache
def components(key: str) -> dict[str, dict[str, Any]]:
    otype = registry[key]
    item = object_schema(otype.key)
    answer = _without_required(item)  # ``?fields=`` may leave out any key
    answer["description"] = f"A {otype.label} of the register, as a map item (references by slug)."
    changes = _without_required(item)
    changes["description"] = "The keys to change (absent: kept; null: cleared). The slug cannot change."
    page = {"type": "object", "required": ["items", "next_cursor", "previous_cursor"], "properties": {
        "items": {"type": "array", "items": ref(component(otype))},
        "next_cursor": {"type": ["string", "null"], "description": "Pass as ?after= for the next page."},
        "previous_cursor": {"type": ["string", "null"], "description": "Pass as ?before= for the previous page."},
    }}
    bulk = {"type": "object", "required": ["items"], "additionalProperties": False, "properties": {
        "items": {"type": "array", "maxItems": BULK_LIMIT, "items": ref(component(otype, "New"))}}}
    return {component(otype): answer, component(otype, "New"): copy.deepcopy(item),
            component(otype, "Changes"): changes, component(otype, "Page"): page,
            component(otype, "Bulk"): bulk}


def _query(name: str, schema: dict[str, Any], description: str, array: bool = False) -> dict[str, Any]:
    param: dict[str, Any] = {"in": "query", "name": name, "required": False, "description": description,
                             "schema": {"type": "array", "items": schema} if array else schema}
    if array:
        param.update(style="form", explode=True)
    return param


def filter_parameters(otype: ObjectType) -> list[dict[str, Any]]:
    """The list's filters as query parameters (the same as the web list's, by the same names)."""
    out = []
    for name, flt in filterset_for(otype.key).base_filters.items():
        label = str(flt.label or name)
        if name == "q":
            out.append(_query("q", {"type": "string", "maxLength": 200}, "Words found in slug, name or description."))
        elif isinstance(flt, ReferenceFilter):
            out.append(_query(name, {"type": "string", "maxLength": 100}, f"{label}: slugs (any of them)", array=True))
        elif isinstance(flt, django_filters.MultipleChoiceFilter):
            values = [str(v) for v, _label in flt.extra["choices"]]
            out.append(_query(name, {"type": "string", "enum": values}, f"{label}: any of these values", array=True))
        elif isinstance(flt, django_filters.BooleanFilter):
            out.append(_query(name, {"type": "boolean"}, label))
        elif isinstance(flt, django_filters.DateFromToRangeFilter):
            out.append(_query(f"{name}_after", {"type": "string", "format": "date"}, f"{label}: on or after"))
            out.append(_query(f"{name}_before", {"type": "string", "format": "date"}, f"{label}: on or before"))
        elif isinstance(flt, django_filters.RangeFilter):
            out.append(_query(f"{name}_min", {"type": "number"}, f"{label}: at least"))
            out.append(_query(f"{name}_max", {"type": "number"}, f"{label}: at most"))
    return out


def sort_keys(otype: ObjectType) -> list[str]:
    keys = [c.key for c in spec_for(otype.key).columns if c.sort]
    return [k for key in keys for k in (key, f"-{key}")]


def field_keys(otype: ObjectType) -> list[str]:
    return [mf.key for mf in otype.fields]


def list_parameters(otype: ObjectType) -> list[dict[str, Any]]:
    cursor = {"type": "string", "maxLength": 400}
    return [
        *filter_parameters(otype),
        _query("sort", {"type": "string", "enum": sort_keys(otype), "default": "name"}, "Order (-key: descending)."),
        _query("limit", {"type": "integer", "enum": list(keyset.PAGE_SIZES), "default": keyset.DEFAULT_PAGE_SIZE},
               "Objects per page."),
        _query("after", cursor, "A next_cursor: the page after it."),
        _query("before", cursor, "A previous_cursor: the page before it."),
        _query("last", {"type": "boolean"}, "The last page (as cheap as the first)."),
        fields_parameter(otype),
    ]


def fields_parameter(otype: ObjectType) -> dict[str, Any]:
    return _query("fields", {"type": "string", "enum": field_keys(otype)},
                  "Keys to return (repeat, or separate by commas); all by default.", array=True)
