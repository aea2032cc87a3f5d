"""Fixtures of the import page's tests: Valmont, and its owner signed in."""

from __future__ import annotations

import pytest

from mue.core.models import Membership, Workspace


@pytest.fixture
def valmont(db):
    from mue.demo import load_demo

    load_demo("valmont")
    return Workspace.objects.get(slug="valmont")


def _member(ws, role: str, username: str, django_user_model):
    user = django_user_model.objects.create_user(username, password="pw-123456789")
    Membership.objects.create(workspace=ws, user=user, role=role)
    return user


@pytest.fixture
def owner(client, valmont, django_user_model):
    client.force_login(_member(valmont, "owner", "owner", django_user_model))
    return client
