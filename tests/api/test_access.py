"""Tokens and sessions reach workspaces through the one permission gate: 401, 403 and 404 as HTTP means them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from typer.testing import CliRunner

from mue.api.models import ApiToken
from mue.api.tokens import create_token, find, revoke
from mue.core.models import Workspace
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db
APPS = "/api/v1/workspaces/valmont/applications"


def _app(valmont) -> str:
    from mue.applications.models import Application

    return Application.objects.filter(workspace=valmont).order_by("pk").first().slug


def test_roles_apply_unchanged(valmont, member):
    slug = _app(valmont)
    _u, viewer = member(valmont, "viewer")
    assert viewer.get(APPS).status_code == 200
    refused = viewer.patch(f"{APPS}/{slug}", {"description": "x"})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert viewer.delete(f"{APPS}/{slug}").status_code == 403
    _u, auditor = member(valmont, "auditor", can_edit=True)
    assert auditor.patch(f"{APPS}/{slug}", {"description": "x"}).status_code == 200


def test_other_workspaces_are_not_found(valmont, member):
    Workspace.objects.create(slug="elsewhere", name="Elsewhere")
    _u, stranger = member(Workspace.objects.get(slug="elsewhere"), "owner")
    for response in (stranger.get(APPS), stranger.get(f"{APPS}/{_app(valmont)}"),
                     stranger.patch(f"{APPS}/{_app(valmont)}", {"description": "x"}),
                     stranger.get("/api/v1/workspaces/valmont")):
        assert response.status_code == 404 and response.json()["code"] == "workspace_not_found"
    assert [w["slug"] for w in stranger.get("/api/v1/workspaces").json()] == ["elsewhere"]


def test_tokens_read_only_revoked_expired_and_unknown(valmont, member, django_user_model):
    user, reader = member(valmont, "owner", read_only=True)
    assert reader.get(APPS).status_code == 200
    refused = reader.post(f"{APPS}/bulk", {"items": []})
    assert refused.status_code == 403 and refused.json()["code"] == "read_only_token"

    token, secret = create_token(user, "old", expires=timezone.now() - dt.timedelta(days=1))
    expired = ApiClient(secret).get(APPS)
    assert expired.status_code == 401 and expired.json()["code"] == "token_expired"
    assert expired["WWW-Authenticate"].startswith("Bearer")
    token, secret = create_token(user, "gone")
    revoke(token)
    assert ApiClient(secret).get(APPS).json()["code"] == "invalid_token"
    assert ApiClient("mue_nonsense").get(APPS).status_code == 401
    anonymous = ApiClient().get(APPS)
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "not_authenticated"


def test_tokens_are_stored_hashed_and_remember_their_last_use(valmont, member):
    user = member(valmont, "owner")[0]
    token, secret = create_token(user, "script")
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert find(secret) == token and token.last_used is None
    ApiClient(secret).get(APPS)
    token.refresh_from_db()
    assert token.last_used is not None


def test_the_browser_session_needs_the_csrf_token_to_write(valmont, member):
    user = member(valmont, "owner")[0]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.get(APPS).status_code == 200
    slug = _app(valmont)
    refused = browser.patch(f"{APPS}/{slug}", '{"description": "x"}', content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    browser.get("/api/v1/docs")  # sets the csrftoken cookie
    csrf = browser.cookies["csrftoken"].value
    done = browser.patch(f"{APPS}/{slug}", '{"description": "x"}', content_type="application/json",
                         headers={"X-CSRFToken": csrf})
    assert done.status_code == 200


def test_rate_limit_per_token(valmont, member, settings, tmp_path):
    settings.VAR_DIR = tmp_path  # a counter of its own
    settings.MUE_API_RATE_LIMIT = "3/m"
    _u, one = member(valmont, "owner")
    _u, other = member(valmont, "owner")
    assert [one.get("/api/v1/workspaces").status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = one.get("/api/v1/workspaces")
    assert refused.json()["code"] == "rate_limited" and 1 <= int(refused["Retry-After"]) <= 60
    assert other.get("/api/v1/workspaces").status_code == 200


HITS = """
import json, sys
from mue.api.ratelimit import SharedCounter
counter = SharedCounter(sys.argv[1])
print(json.dumps([counter.hit("token-1", 3600)[0] for _ in range(200)]))
"""


def test_the_rate_is_counted_across_processes(tmp_path):
    """Two server processes (two counters on the same file, at once) count one caller's requests together."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    from mue.api.ratelimit import SharedCounter

    path = str(tmp_path / "api-rate.sqlite3")
    env = {"PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src"), "PATH": "/usr/bin:/bin"}
    workers = [subprocess.Popen([sys.executable, "-c", HITS, path], stdout=subprocess.PIPE, env=env, text=True)
               for _ in range(2)]
    seen = [json.loads(worker.communicate(timeout=60)[0]) for worker in workers]
    assert sorted(seen[0] + seen[1]) == list(range(1, 401))  # every count once: no hit lost or doubled
    assert SharedCounter(path).hit("token-2", 3600)[0] == 1


def test_a_new_window_starts_a_new_count(tmp_path):
    from mue.api.ratelimit import SharedCounter

    counter = SharedCounter(tmp_path / "rate.sqlite3")
    assert [counter.hit("t", 60, now=120.0)[0] for _ in range(3)] == [1, 2, 3]
    count, left = counter.hit("t", 60, now=185.5)
    assert (count, left) == (1, 54.5)


def test_messages_follow_the_callers_language(valmont, member):
    _u, client = member(valmont, "owner")
    response = client.get("/api/v1/workspaces/nowhere", headers={"Accept-Language": "fr"})
    assert response.json()["code"] == "workspace_not_found"
    assert response.json()["message"] != "No workspace 'nowhere'."


def test_the_token_page_creates_shows_once_and_revokes(valmont, member, client):
    user = member(valmont, "owner")[0]
    client.force_login(user)
    page = client.post("/accounts/me/tokens/", {"action": "create", "name": "sync", "expires": "30",
                                                "read_only": "on"})
    assert page.status_code == 200
    secret = page.context["secret"]
    assert secret.startswith("mue_") and secret in page.content.decode()
    token = find(secret)
    assert token.read_only and token.expires is not None and token.user == user
    assert secret not in client.get("/accounts/me/tokens/").content.decode()
    client.post("/accounts/me/tokens/", {"action": "revoke", "token": token.pk})
    token.refresh_from_db()
    assert token.revoked is not None
    assert ApiClient(secret).get(APPS).status_code == 401
    assert "/accounts/me/tokens/" in client.get("/accounts/me/").content.decode()


def test_token_commands(valmont, member):
    from mue.cli.main import app

    user = member(valmont, "owner")[0]
    runner = CliRunner()
    created = runner.invoke(app, ["token", "create", user.username, "--name", "ci", "--days", "7", "--read-only"])
    assert created.exit_code == 0, created.output
    secret = created.output.strip().splitlines()[-1]
    token = find(secret)
    assert token.read_only and token.name == "ci"
    listed = runner.invoke(app, ["token", "list", user.username, "--json"])
    assert '"name": "ci"' in listed.output and secret not in listed.output
    assert runner.invoke(app, ["token", "revoke", str(token.pk)]).exit_code == 0
    assert find(secret).revoked is not None
    assert runner.invoke(app, ["token", "revoke", "999999"]).exit_code == 4
    assert runner.invoke(app, ["token", "list", "nobody"]).exit_code == 4
