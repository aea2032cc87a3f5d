"""Figures derived from a workspace's register, computed once per state of the register.

Every change of a register object is a change-log entry, written in the transaction of the change
(:mod:`mue.core.changelog`), imports and bulk paths included. The id of a workspace's last entry
therefore names the state of its register: a figure computed from the register alone (counts,
missing owners, single points of failure) is kept in Django's cache under that id, and any change
makes the next visit compute it again. Reading the id is one indexed query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.utils.translation import get_language

from mue.core.models import ChangeLogEntry, Workspace

T = TypeVar("T")

#: Kept at most this long (a state nobody visits again is evicted anyway).
TIMEOUT = 24 * 3600


def register_state(workspace: Workspace) -> int:
    """The id of the workspace's last change-log entry (0 for none)."""
    return ChangeLogEntry.objects.filter(workspace=workspace).order_by("-id").values_list("id", flat=True).first() or 0


def for_state(workspace: Workspace, name: str, compute: Callable[[], T], state: int | None = None,
              extra: Any = "") -> T:
    """``compute()`` for this state of the workspace's register (``extra`` adds to the key, e.g. today)."""
    state = register_state(workspace) if state is None else state
    # The workspace's creation time too (ids come back after a rolled-back transaction or a restored
    # backup), and the language: what is computed may hold words (labels of types, of missing fields).
    key = f"mue:state:{workspace.pk}:{workspace.created.timestamp()}:{state}:{name}:{get_language()}:{extra}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, timeout=TIMEOUT)
    return found
