"""Tokens survive upgrades: one made on the API's first schema still works once every migration ran."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mue.api.tokens import digest
from tests.api.conftest import ApiClient


@pytest.mark.django_db(transaction=True)
def test_a_token_made_on_the_first_schema_works_after_migrating(django_user_model):
    executor = MigrationExecutor(connection)
    first = ("api", "0001_initial")
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([first])
    old = MigrationExecutor(connection).loader.project_state([first]).apps
    User = old.get_model("auth", "User")
    user = User.objects.create(username="old-script", is_active=True, password="!")
    secret = "mue_" + "x" * 43
    old.get_model("api", "ApiToken").objects.create(user=user, name="from v1", prefix=secret[:12],
                                                    digest=digest(secret))
    MigrationExecutor(connection).migrate(latest)

    from mue.core.models import Membership, Workspace

    ws = Workspace.objects.create(slug="upgraded", name="Upgraded")
    Membership.objects.create(workspace=ws, user=django_user_model.objects.get(username="old-script"), role="viewer")
    response = ApiClient(secret).get("/api/v1/workspaces")
    assert response.status_code == 200, response.content
    assert [w["slug"] for w in response.json()] == ["upgraded"]
