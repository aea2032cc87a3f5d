"""The one change log of Mue.

Every write to a register object, whatever its path (import, CLI, web pages, API), ends in
:func:`record`: ORM saves and deletes reach it through the signals in :mod:`mue.core.signals`, bulk
paths (imports, generators) call :func:`record_many` with the same :func:`snapshot` of the object.
The current :func:`change_context` (one per request, CLI command or job) gives every entry its actor,
source and request id.

Entries are written at once, on the connection and in the transaction of the change itself (as
NetBox does): a change rolled back takes its entry with it, and a change committed always has one.
Nothing is buffered until the context closes, so a request that writes, fails and rolls back after
the response was built leaves no entry behind.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

_SKIPPED = {"id", "workspace", "created", "updated"}


def jsonable(value: Any) -> Any:
    """A value as the change log stores it (JSON types only)."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def snapshot_fields(model: type[models.Model]) -> list[models.Field]:
    """The concrete fields a snapshot records (ids for foreign keys)."""
    cached = model.__dict__.get("_snapshot_fields")
    if cached is None:
        cached = [f for f in model._meta.concrete_fields if f.name not in _SKIPPED]
        model._snapshot_fields = cached
    return cached


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The object's current values, keyed by attribute name (``vendor_id`` for a foreign key)."""
    return {f.attname: jsonable(getattr(obj, f.attname)) for f in snapshot_fields(type(obj))}


def loaded_snapshot(obj: models.Model) -> dict[str, Any] | None:
    """The values the object had when it was read from the database, or None if it was not."""
    state = getattr(obj, "_db_state", None)
    if state is None:
        return None
    names, values = state
    loaded = dict(zip(names, values, strict=False))
    return {f.attname: jsonable(loaded.get(f.attname)) for f in snapshot_fields(type(obj)) if f.attname in loaded}


@dataclass
class ChangeContext:
    """Who is changing things, from where, and the entries not yet written."""

    actor_name: str
    source: str
    actor_id: int | None = None
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    message: str = ""


_current: contextvars.ContextVar[ChangeContext | None] = contextvars.ContextVar("mue_change_context", default=None)


def current_context() -> ChangeContext | None:
    return _current.get()


@contextmanager
def change_context(
    actor_name: str, source: str, actor_id: int | None = None, message: str = ""
) -> Iterator[ChangeContext]:
    """Group the changes made inside the block under one actor, source and request id.

    Nested contexts join the outer one, so an import called from a web request logs as that request.
    """
    outer = _current.get()
    if outer is not None:
        yield outer
        return
    ctx = ChangeContext(actor_name=actor_name, source=source, actor_id=actor_id, message=message)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def record(
    action: str,
    object_type: str,
    obj_id: int,
    slug: str,
    workspace_id: int | None,
    before: dict | None,
    after: dict | None,
) -> None:
    """Log one change, in the transaction that made it (outside any context, as the system)."""
    from mue.core.models import ChangeLogEntry

    ctx = _current.get() or ChangeContext(actor_name="system", source="system")
    ChangeLogEntry.objects.create(
        workspace_id=workspace_id,
        time=timezone.now(),
        actor_id=ctx.actor_id,
        actor_name=ctx.actor_name,
        source=ctx.source,
        request_id=ctx.request_id,
        action=action,
        object_type=object_type,
        object_id=obj_id,
        object_slug=slug,
        before=before,
        after=after,
        message=ctx.message,
    )


def record_many(workspace_id: int | None, entries: list[tuple[str, str, int, str, dict | None, dict | None]]) -> None:
    """Log many changes at once: ``(action, object_type, object_id, slug, before, after)`` each.

    The entries are written as plain rows in the caller's transaction: at 100k objects, model instances
    cost more than the inserts. They carry the same actor, source, request id and message as
    :func:`record` would give them.
    """
    from mue.core import bulk
    from mue.core.models import ChangeLogEntry

    ctx = _current.get() or ChangeContext(actor_name="system", source="system")
    bulk.insert_rows(
        ChangeLogEntry, ["action", "object_type", "object_id", "object_slug", "before", "after"], entries,
        constants={"workspace_id": workspace_id, "time": timezone.now(), "actor_id": ctx.actor_id,
                   "actor_name": ctx.actor_name, "source": ctx.source, "request_id": ctx.request_id,
                   "message": ctx.message},
    )


def diff(before: dict | None, after: dict | None) -> tuple[dict | None, dict | None]:
    """Reduce two snapshots to the keys that differ (whole snapshots for create and delete)."""
    if before is None or after is None:
        return before, after
    keys = [k for k in after if before.get(k) != after[k]] + [k for k in before if k not in after]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
