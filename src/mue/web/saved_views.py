"""Saved views of the register lists: a list's filters, columns, sort and page size under a name.

A view is private to its owner or shared with the workspace. Anyone who may view the workspace keeps
views of their own; sharing one (and changing a shared one) is changing what every member's list page
offers, so it asks for the "change" action; the workspace's administrators may remove any shared view
and the views whose owner's account is gone. The permission gate stays the one of the pages: these
rules only decide, inside a workspace the user already reached, which views they see and may alter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import QueryDict
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from mue.core.access import Action
from mue.core.models import Workspace
from mue.web import keyset
from mue.web.models import SavedView

#: Keys of a list's URL that are not part of what it shows: where the page is, and the columns (kept apart).
NOT_SAVED = frozenset({"after", "before", "page", "columns", "csrfmiddlewaretoken"})
#: Keys of the list itself, beside its filters, and their values when absent.
LIST_DEFAULTS = {"sort": "name", "per_page": ""}
NAME_LIMIT = SavedView._meta.get_field("name").max_length


def canonical_query(params: QueryDict, columns: Iterable[str], filter_names: Iterable[str],
                    default_page_size: int) -> str:
    """The state of a list as one stable query string: its filters (keys sorted, empty values and
    unknown keys dropped), sort and page size unless they are the defaults, then the columns in order.

    Two lists showing the same thing give the same string, so a list page knows which saved view it
    shows by comparing strings. A filter's own keys start with its name (``cf_amount_min``).
    """
    names = tuple(filter_names)
    prefixes = tuple(f"{name}_" for name in names)
    defaults = LIST_DEFAULTS | {"per_page": str(default_page_size)}
    kept: list[tuple[str, str]] = []
    for key in sorted(params.keys()):
        if key in NOT_SAVED:
            continue
        if key in defaults:
            value = params.get(key, "")
            if value and value != defaults[key]:
                kept.append((key, value))
        elif key in names or key.startswith(prefixes):
            kept.extend((key, value) for value in params.getlist(key) if value != "")
    kept.extend(("columns", column) for column in columns)
    return urlencode(kept)


@dataclass(frozen=True)
class ShownView:
    """A saved view as a list page offers it."""

    view: SavedView
    mine: bool
    changeable: bool
    active: bool


def visible_to(user: Any, actions: set[str]) -> Q:
    """The views ``user`` sees: the shared ones, their own, and (for administrators) the private views
    whose owner's account is gone."""
    condition = Q(shared=True) | Q(owner=user)
    if Action.ADMIN in actions:
        condition |= Q(owner__isnull=True)
    return condition


def views_for_list(workspace: Workspace, user: Any, actions: set[str], object_type: str,
                   current_query: str) -> list[ShownView]:
    """The saved views a list page offers, shared ones first, then the user's own; one query."""
    rows = SavedView.objects.filter(visible_to(user, actions), workspace=workspace, object_type=object_type)
    shown = [ShownView(view, view.owner_id == user.pk, may_change(view, user, actions), view.query == current_query)
             for view in rows.order_by("name", "id")]
    return sorted(shown, key=lambda s: (not s.view.shared, s.view.name.casefold(), s.view.pk))


def may_change(view: SavedView, user: Any, actions: set[str]) -> bool:
    """Whether ``user`` may replace or delete ``view``: their own (shared ones while they may change the
    workspace), or, for an administrator, a shared view or one whose owner is gone."""
    if view.owner_id is not None and view.owner_id == user.pk:
        return not view.shared or Action.CHANGE in actions or Action.ADMIN in actions
    return Action.ADMIN in actions and (view.shared or view.owner_id is None)


class ViewRefused(Exception):
    """Saving or deleting a view the user may not (the page says why, nothing is written)."""


def save_view(workspace: Workspace, user: Any, actions: set[str], object_type: str, name: str,
              query: str, shared: bool) -> tuple[SavedView, bool]:
    """Save the list's state under ``name`` for ``user``: their view of that name is replaced. Returns
    (view, created)."""
    name = " ".join(name.split())
    if not name:
        raise ViewRefused(_("Give the view a name."))
    if len(name) > NAME_LIMIT:
        raise ViewRefused(_("A view's name has at most %(limit)s characters.") % {"limit": NAME_LIMIT})
    if shared and Action.CHANGE not in actions and Action.ADMIN not in actions:
        raise ViewRefused(_("Only members who may edit the register share views with the workspace."))
    existing = SavedView.objects.filter(workspace=workspace, object_type=object_type, owner=user, name=name).first()
    if existing is not None:
        if not may_change(existing, user, actions):
            raise ViewRefused(_("Only members who may edit the register change a shared view."))
        existing.query, existing.shared, existing.owner_name = query, shared, _owner_name(user)
        existing.save(update_fields=["query", "shared", "owner_name", "updated"])
        return existing, False
    view = SavedView.objects.create(workspace=workspace, object_type=object_type, name=name, query=query,
                                    shared=shared, owner=user, owner_name=_owner_name(user))
    return view, True


def _owner_name(user: Any) -> str:
    return (user.get_full_name() or user.get_username())[:150]


def list_context(request: Any, workspace: Workspace, object_type: str, filter_names: Iterable[str],
                 columns: list[str]) -> dict[str, Any]:
    """What a list page needs for its saved views: the views, the one it shows, and its own state (the
    query string without cursors, for saving it and for the column chooser to keep the filters)."""
    current = canonical_query(request.GET, columns, filter_names, keyset.DEFAULT_PAGE_SIZE)
    shown = views_for_list(workspace, request.user, request.workspace_actions, object_type, current)
    kept = [(key, value) for key in request.GET for value in request.GET.getlist(key) if key not in NOT_SAVED]
    return {"saved_views": shown, "active_view": next((s for s in shown if s.active), None),
            "saved_query": urlencode(kept), "kept_params": kept}
