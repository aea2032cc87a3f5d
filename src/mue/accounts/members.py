"""Changing who belongs to a workspace: the one place that keeps the rules and logs every change.

The pages, the CLI and the invitations all go through these functions, so that "a workspace always
keeps an owner" and "every change of membership is in the change log" hold whatever the entry point.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from mue.core import changelog
from mue.core.models import ChangeAction, Membership, Role, Workspace


class MembershipError(ValueError):
    """A change the rules refuse (the message says why, translated)."""


def _state(membership: Membership) -> dict:
    return {"role": membership.role, "can_edit": membership.can_edit}


def _log(action: str, membership: Membership, before: dict | None, after: dict | None) -> None:
    changelog.record(action, "membership", membership.pk, membership.user.get_username(),
                     membership.workspace_id, before, after)


def _check_role(role: str) -> str:
    if role not in Role.values:
        raise MembershipError(_("unknown role '%(role)s' (one of %(roles)s)")
                              % {"role": role, "roles": ", ".join(Role.values)})
    return role


def _other_owners(membership: Membership) -> bool:
    return (Membership.objects.filter(workspace_id=membership.workspace_id, role=Role.OWNER)
            .exclude(pk=membership.pk).exists())


@transaction.atomic
def add_member(workspace: Workspace, user, role: str, can_edit: bool = False) -> Membership:
    """Give ``user`` the role in the workspace (a member already there gets the new role)."""
    _check_role(role)
    existing = Membership.objects.select_for_update().filter(workspace=workspace, user=user).first()
    if existing is not None:
        return change_role(existing, role, can_edit)
    membership = Membership.objects.create(workspace=workspace, user=user, role=role,
                                           can_edit=can_edit and role == Role.AUDITOR)
    _log(ChangeAction.CREATE, membership, None, _state(membership))
    return membership


@transaction.atomic
def change_role(membership: Membership, role: str, can_edit: bool = False) -> Membership:
    """Change a member's role; refuses to demote the last owner."""
    _check_role(role)
    can_edit = can_edit and role == Role.AUDITOR
    if membership.role == Role.OWNER and role != Role.OWNER and not _other_owners(membership):
        raise MembershipError(_("%(user)s is the last owner of this workspace: make someone else owner first.")
                              % {"user": membership.user.get_username()})
    before = _state(membership)
    membership.role, membership.can_edit = role, can_edit
    after = _state(membership)
    if before != after:
        membership.save(update_fields=["role", "can_edit"])
        _log(ChangeAction.UPDATE, membership, before, after)
    return membership


@transaction.atomic
def remove_member(membership: Membership) -> None:
    """Remove a member (the advisor included); refuses to remove the last owner."""
    if membership.role == Role.OWNER and not _other_owners(membership):
        raise MembershipError(_("%(user)s is the last owner of this workspace and cannot be removed.")
                              % {"user": membership.user.get_username()})
    before = _state(membership)
    pk = membership.pk
    membership.delete()
    membership.pk = pk
    _log(ChangeAction.DELETE, membership, before, None)
