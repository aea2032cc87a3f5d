"""The one permission gate: which workspaces a user may view, change, audit or administer.

Every page, form choice, autocomplete, search, export, CLI command and API call reaches a workspace
through :func:`get_workspace` and reaches rows through ``Model.objects.for_user(user, action)``
(:class:`mue.core.models.ScopedQuerySet`); both evaluate :func:`workspaces_for` as a subquery, so the
check is one SQL ``IN (SELECT ...)``, never a list of ids computed in Python.

Actions and the roles that grant them:

========  ==========================================================================
view      every member (owner, editor, auditor, viewer)
change    edit the register: owner, editor, and an auditor granted ``can_edit``
audit     run audits and discovery, waive findings, answer the questionnaire: owner, auditor
admin     members, roles and deleting the workspace: owner
========  ==========================================================================

Site administrators (superusers) administer the instance, not its content: like anyone else they see
a workspace only where they are members. The CLI and background jobs act as :data:`SYSTEM`, the
operator of the instance, who may do everything (they already hold the database).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from mue.core.models import Membership, Role, Workspace


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    AUDIT = "audit"
    ADMIN = "admin"


class _System:
    """The operator of the instance (CLI, jobs): every action on every workspace."""

    is_authenticated = True
    pk = None

    def get_username(self) -> str:
        return "system"

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _System()

# What each role may do; an auditor with ``can_edit`` may also change the register.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset({Action.VIEW, Action.CHANGE, Action.AUDIT, Action.ADMIN}),
    Role.EDITOR: frozenset({Action.VIEW, Action.CHANGE}),
    Role.AUDITOR: frozenset({Action.VIEW, Action.AUDIT}),
    Role.VIEWER: frozenset({Action.VIEW}),
}


def _grant(action: str) -> Q:
    """The memberships that allow ``action``, as a condition on ``Membership`` rows."""
    roles = [role for role, actions in ROLE_ACTIONS.items() if action in actions]
    condition = Q(role__in=roles)
    if action == Action.CHANGE:
        condition |= Q(role=Role.AUDITOR, can_edit=True)
    return condition


class WorkspaceNotFound(Http404):
    """No workspace of that slug that this user may act on (a 404 in pages, exit code 4 in the CLI)."""

    def __init__(self, slug: str) -> None:
        self.slug = slug
        super().__init__(_("no workspace '%(slug)s'") % {"slug": slug})


def grants(role: str, can_edit: bool, action: str) -> bool:
    """Whether a membership of ``role`` allows ``action`` (the same table as the SQL)."""
    return action in ROLE_ACTIONS[role] or (action == Action.CHANGE and role == Role.AUDITOR and can_edit)


def _check_action(action: str) -> str:
    if action not in set(Action):
        raise ValueError(f"unknown action {action!r} (one of {', '.join(Action)})")
    return action


def workspaces_for(user: Any, action: str = Action.VIEW) -> QuerySet[Workspace]:
    """The workspaces where ``user`` may do ``action``: a lazy queryset, usable as a subquery."""
    _check_action(action)
    if user is SYSTEM:
        return Workspace.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return Workspace.objects.none()
    members = Membership.objects.filter(_grant(action), user=user).values("workspace_id")
    return Workspace.objects.filter(pk__in=members)


def get_workspace(slug: str, user: Any, action: str = Action.VIEW) -> Workspace:
    """The workspace ``slug`` if ``user`` may do ``action`` there, else :class:`WorkspaceNotFound`.

    A workspace the user may not act on is reported exactly as one that does not exist, so that its
    name never leaks.
    """
    workspace = workspaces_for(user, action).filter(slug=slug).first()
    if workspace is None:
        raise WorkspaceNotFound(slug)
    return workspace


def role_of(user: Any, workspace: Workspace) -> Membership | None:
    """The user's membership in the workspace, or None."""
    if user is SYSTEM or user is None or not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, workspace=workspace).first()


def allowed_actions(user: Any, workspace: Workspace) -> set[str]:
    """The actions ``user`` may do in ``workspace`` (for showing or hiding buttons; views still check)."""
    if user is SYSTEM:
        return set(Action)
    membership = role_of(user, workspace)
    if membership is None or not user.is_active:
        return set()
    return {action for action in Action if grants(membership.role, membership.can_edit, action)}
