"""Who may assess whom: a signed-in user is the person of the workspace with their email address.

Mue has no account field on a person: people of the register are often not users (an élu, a vendor's
contact) and users are often not people of one workspace (an advisor follows several). The smallest
sensible link is the one both already carry, the email address: a member whose account email is the
email of exactly one internal person of the workspace is that person (two people with the same
address link nobody, rather than the wrong one). Editors of the workspace (and its owners) assess
anyone, as managers.
"""

from __future__ import annotations

from typing import Any

from mue.core.models import Workspace
from mue.organization.models import Person


def person_of(user: Any, workspace: Workspace) -> Person | None:
    """The internal person of ``workspace`` whose email is the user's, when there is exactly one."""
    email = (getattr(user, "email", "") or "").strip()
    if not email:
        return None
    matches = list(Person.objects.filter(workspace=workspace, external=False, email__iexact=email)
                   .select_related("unit")[:2])
    return matches[0] if len(matches) == 1 else None


def may_assess(user: Any, workspace: Workspace, person: Person, actions: set[str]) -> tuple[bool, bool]:
    """(may assess ``person``, as themselves): the person themselves, or a member who may change."""
    me = person_of(user, workspace)
    if me is not None and me.pk == person.pk:
        return True, True
    return "change" in actions, False
