"""Fixtures of the accounts tests: users with a role in a small workspace."""

from __future__ import annotations

import pytest

PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def make_user(db, django_user_model):
    """``make_user(username, email=..., workspace=..., role=...)``: an account, optionally a member."""
    from mue.core.models import Membership

    def make(username: str, email: str = "", workspace=None, role: str = "viewer", can_edit: bool = False,
             **extra):
        user = django_user_model.objects.create_user(username, email, PASSWORD, **extra)
        if workspace is not None:
            Membership.objects.create(workspace=workspace, user=user, role=role, can_edit=can_edit)
        return user

    return make


@pytest.fixture
def owner(make_user, workspace):
    return make_user("olivia", "olivia@commune.example", workspace=workspace, role="owner")
