"""What changed since an audit, as a re-audit needs it: which objects, and which of their fields.

Changes come from the one change log (:mod:`mue.core.changelog`): every path that writes a register
object records there the attribute names it changed (``owner_id``, ``mfa``, a many-to-many field such
as ``data``, a document's ``about`` links). A re-audit compares those names with the columns and
tables each rule's SQL reads: a rule that reads no changed column cannot change its verdict.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.apps import apps

from mue.core.registry import registry


@dataclass(frozen=True)
class Change:
    """One object that changed; ``fields`` are the attribute names written, None when unknown or all
    (a creation, a deletion, a caller that only knows the object)."""

    object_type: str
    object_id: int
    fields: frozenset[str] | None = None


def as_changes(changes: Iterable[Change | tuple]) -> list[Change]:
    """Accept :class:`Change` objects, ``(type, id)`` pairs or ``(type, id, fields)`` triples."""
    out = []
    for change in changes:
        if isinstance(change, Change):
            out.append(change)
        elif len(change) == 2:
            out.append(Change(change[0], change[1]))
        else:
            fields = change[2]
            out.append(Change(change[0], change[1], None if fields is None else frozenset(fields)))
    return out


def changes_since(workspace_id: int, after_entry: int) -> tuple[list[Change], int]:
    """The changes the log holds for the workspace after entry ``after_entry``, merged per object,
    and the id of the last entry read (to pass back next time). One query."""
    from mue.core.models import ChangeLogEntry

    merged: dict[tuple[str, int], set[str] | None] = {}
    last = after_entry
    entries = (ChangeLogEntry.objects.filter(workspace_id=workspace_id, pk__gt=after_entry).order_by("pk")
               .values_list("pk", "action", "object_type", "object_id", "after"))
    for pk, action, object_type, object_id, after in entries:
        last = pk
        key = (object_type, object_id)
        if action != "update" or not isinstance(after, dict):
            merged[key] = None
        elif key not in merged:
            merged[key] = set(after)
        elif merged[key] is not None:
            merged[key] |= set(after)
    changes = [Change(t, i, None if f is None else frozenset(f)) for (t, i), f in merged.items()]
    return changes, last


SqlName = tuple[str, str | None]


@cache
def _names_of_type(object_type: str) -> dict[str, SqlName]:
    """Attribute name (as the change log records it) -> where it is stored: (table, column), or
    (link table, None) for links kept in a table of their own."""
    otype = registry.by_singular(object_type)
    table = otype.model._meta.db_table
    out: dict[str, SqlName] = {}
    for field in otype.model._meta.concrete_fields:
        out[field.attname] = out[field.name] = (table, field.column)
    for field in otype.model._meta.many_to_many:
        out[field.name] = (field.remote_field.through._meta.db_table, None)
    links_table = apps.get_model("documents", "DocumentLink")._meta.db_table
    for map_field in otype.fields:
        if map_field.kind == "links":
            out[map_field.key] = (links_table, None)
    return out


def sql_names(object_type: str, fields: frozenset[str] | None) -> frozenset[SqlName] | None:
    """The columns and link tables that writing ``fields`` changes; None when any could be (unknown
    type or field: be safe)."""
    if fields is None:
        return None
    try:
        names = _names_of_type(object_type)
    except KeyError:
        return None
    out = set()
    for name in fields:
        if name not in names:
            return None
        out.add(names[name])
    return frozenset(out)
