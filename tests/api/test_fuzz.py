"""Schemathesis over the whole OpenAPI document: the API never answers 500 and keeps to its schema.

Bounded for CI: a few examples per operation, against the Valmont demo workspace with an owner's
token (and, for the path's ``slug``, a real object of the type half of the time, so that reads,
changes and deletes reach the importer and the database, not only the 404 path).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mue.core.registry import registry
from mue.web.spec import type_from_segment
from mue.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
EXAMPLES = 8


@pytest.fixture(scope="module")
def fuzzed(django_db_setup, django_db_blocker):
    """Valmont and an owner's token, made once for the module (each example's writes are rolled back)."""
    from django.contrib.auth import get_user_model

    from mue.api.tokens import create_token
    from mue.core.models import Membership, Workspace
    from mue.demo import load_demo

    with django_db_blocker.unblock():
        load_demo("valmont")
        ws = Workspace.objects.get(slug="valmont")
        user = get_user_model().objects.create_user("fuzzer", password="pw-123456789")
        Membership.objects.create(workspace=ws, user=user, role="owner")
        yield ws, {"Authorization": f"Bearer {create_token(user, 'fuzz')[1]}"}
        ws.delete()
        user.delete()


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The WSGI app closes "old" connections when a request ends (CONN_MAX_AGE 0): inside the test's
    transaction that would close PostgreSQL's connection under it (SQLite's in-memory one is never
    closed). Django's test client disconnects the same handlers while it sends a request."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
          phases=[Phase.generate])
@pytest.mark.django_db
def test_no_server_error_anywhere(case, fuzzed):
    valmont, token = fuzzed
    params = case.path_parameters or {}
    if "workspace" in params and hash(params["workspace"]) % 8:
        params["workspace"] = "valmont"
    if "slug" in params and hash(params["slug"]) % 2:
        otype = type_from_segment(case.path.split("/")[5])
        if otype is not None:
            real = otype.model.objects.filter(workspace=valmont).values_list("slug", flat=True).first()
            params["slug"] = real or params["slug"]
    case.call_and_validate(headers={**token, "Accept-Language": "en"}, checks=CHECKS)


def test_every_type_is_fuzzed():
    operations = {op.ok().label for op in schema.get_all_operations()}
    for otype in registry:
        assert any(f"/{otype.key.replace('_', '-')}" in label for label in operations), otype.key
