"""The Valmont demo (its record of 12 activities), loaded for each test that asks."""

from __future__ import annotations

import pytest
from django.test import Client

from mue.core.models import Membership, Workspace
from mue.demo import load_demo


@pytest.fixture
def valmont(db) -> Workspace:
    load_demo("valmont")
    return Workspace.objects.get(slug="valmont")


@pytest.fixture
def member(valmont, django_user_model):
    def make(name: str, role: str) -> Client:
        user = django_user_model.objects.create_user(name, password="pw-123456789")
        Membership.objects.create(workspace=valmont, user=user, role=role)
        client = Client()
        client.force_login(user)
        return client

    return make
