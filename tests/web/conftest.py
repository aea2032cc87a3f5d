"""Fixtures of the web pages' tests: a member of a workspace holding a little of every type."""

from __future__ import annotations

import pytest


@pytest.fixture
def member_factory(db, django_user_model):
    """``member_factory(workspace, role)``: a signed-in-able user with that role in the workspace."""
    from mue.core.models import Membership

    counter = {"n": 0}

    def make(workspace, role: str = "owner", can_edit: bool = False, username: str | None = None):
        counter["n"] += 1
        user = django_user_model.objects.create_user(username or f"user{counter['n']}", password="pw-123456789")
        Membership.objects.create(workspace=workspace, user=user, role=role, can_edit=can_edit)
        return user

    return make


@pytest.fixture
def valmont(db):
    """The Valmont demo workspace (every type of the register, a French commune)."""
    from mue.core.models import Workspace
    from mue.demo import load_demo

    load_demo("valmont")
    return Workspace.objects.get(slug="valmont")


@pytest.fixture
def owner_client(client, valmont, member_factory):
    client.force_login(member_factory(valmont, "owner"))
    return client
