"""Fixtures of the API's tests: the Valmont demo workspace, members of each role and their tokens."""

from __future__ import annotations

import json

import pytest
from django.test import Client


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.MUE_API_RATE_LIMIT = None  # off in tests; tests/api/test_tokens.py turns it on


class ApiClient:
    """A test client sending a token and JSON: ``api.get(url)``, ``api.post(url, data)``…"""

    def __init__(self, secret: str | None = None) -> None:
        self.client = Client()
        self.headers = {"Accept-Language": "en", **({"Authorization": f"Bearer {secret}"} if secret else {})}

    def _send(self, method: str, url: str, data=None, headers: dict | None = None):
        kwargs = {"headers": {**self.headers, **(headers or {})}}
        if data is not None:
            kwargs.update(data=data if isinstance(data, bytes | str) else json.dumps(data),
                          content_type="application/json")
        return getattr(self.client, method)(url, **kwargs)

    def get(self, url: str, headers: dict | None = None, **params):
        return self.client.get(url, params or None, headers={**self.headers, **(headers or {})})

    def post(self, url: str, data=None, headers: dict | None = None):
        return self._send("post", url, data, headers)

    def patch(self, url: str, data=None, headers: dict | None = None):
        return self._send("patch", url, data, headers)

    def delete(self, url: str, headers: dict | None = None):
        return self._send("delete", url, None, headers)


@pytest.fixture
def valmont(db):
    from mue.core.models import Workspace
    from mue.demo import load_demo

    load_demo("valmont")
    return Workspace.objects.get(slug="valmont")


@pytest.fixture
def member(db, django_user_model):
    """``member(workspace, role, **token_options)`` -> (user, ApiClient with a token of that user)."""
    from mue.api.tokens import create_token
    from mue.core.models import Membership

    counter = {"n": 0}

    def make(workspace, role: str = "owner", can_edit: bool = False, **token_options):
        counter["n"] += 1
        user = django_user_model.objects.create_user(f"api{counter['n']}", password="pw-123456789")
        if workspace is not None:
            Membership.objects.create(workspace=workspace, user=user, role=role, can_edit=can_edit)
        _token, secret = create_token(user, "tests", **token_options)
        return user, ApiClient(secret)

    return make


@pytest.fixture
def owner(valmont, member):
    return member(valmont, "owner")[1]
