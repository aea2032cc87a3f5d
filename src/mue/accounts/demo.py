"""The demo's accounts, made by ``mue setup``: the administrator owns the demo workspaces, and the
advisor (``conseil``) audits both.

Superusers see content only where they are members, so without these memberships the printed
administrator would find the demo empty. Running it again changes nothing (roles an owner changed
since are kept).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from mue.accounts.members import add_member
from mue.accounts.models import profile_of
from mue.core.models import Membership, Role, Workspace

ADVISOR_USERNAME = "conseil"
ADVISOR_EMAIL = "conseil@mue.example"
ADVISOR_FILE = "initial-advisor.txt"


def _join_once(workspaces: Iterable[Workspace], user, role: str) -> None:
    for workspace in workspaces:
        if not Membership.objects.filter(workspace=workspace, user=user).exists():
            add_member(workspace, user, role)


def _write_secret(path: Path, login: str, password: str) -> None:
    path.write_text(f"{login}\n{password}\n", encoding="utf-8")
    os.chmod(path, 0o600)


def read_secret(path: Path) -> tuple[str, str] | None:
    """The login and password kept in a ``var/initial-*.txt`` file, if it is there."""
    if not path.exists():
        return None
    login, password = path.read_text(encoding="utf-8").split()[:2]
    return login, password


@transaction.atomic
def owner_of_demos(admin, slugs: Iterable[str]) -> None:
    """Make the first administrator an owner of the demo workspaces (once)."""
    _join_once(Workspace.objects.filter(slug__in=list(slugs)), admin, Role.OWNER)


@transaction.atomic
def initial_advisor(var_dir: Path, slugs: Iterable[str]) -> tuple[str, str | None]:
    """The advisor's demo account, auditor of the demo workspaces; returns its login and password
    (when still kept in ``var/initial-advisor.txt``)."""
    User = get_user_model()
    secret_file = var_dir / ADVISOR_FILE
    user = User.objects.filter(username=ADVISOR_USERNAME).first()
    if user is None:
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(ADVISOR_USERNAME, ADVISOR_EMAIL, password, first_name="Conseil")
        profile_of(user)
        _write_secret(secret_file, ADVISOR_USERNAME, password)
    _join_once(Workspace.objects.filter(slug__in=list(slugs)), user, Role.AUDITOR)
    kept = read_secret(secret_file)
    return (kept[0], kept[1]) if kept else (ADVISOR_USERNAME, None)
