"""``mue user`` and ``mue member``, and the demo accounts of ``mue setup``."""

from __future__ import annotations

import json
import stat

import pytest
from django.contrib.auth import get_user_model
from typer.testing import CliRunner

from mue.cli.main import app
from mue.core.models import ChangeLogEntry, Membership, Workspace

runner = CliRunner()


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def test_user_add_with_a_membership_then_list(workspace):
    result = run("user", "add", "alice", "--email", "alice@example.org", "--password", "a-long-secret-1",
                 "--workspace", workspace.slug, "--role", "auditor", "--can-edit")
    assert result.exit_code == 0, result.output
    user = get_user_model().objects.get(username="alice")
    assert user.check_password("a-long-secret-1") and not user.is_superuser
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.can_edit) == ("auditor", True)
    assert ChangeLogEntry.objects.get(object_type="membership").source == "cli"
    listed = json.loads(run("user", "list", "--json").output)
    assert listed == [{"username": "alice", "email": "alice@example.org", "superuser": False, "active": True,
                       "memberships": [{"workspace": workspace.slug, "role": "auditor", "can_edit": True}]}]
    assert "test-ws:auditor+edit" in run("user", "list").output


def test_user_add_prompts_twice_for_the_password(db):
    result = run("user", "add", "root", "--superuser", input="a-long-secret-1\na-long-secret-1\n")
    assert result.exit_code == 0, result.output
    assert get_user_model().objects.get(username="root").is_superuser


def test_user_add_refusals(workspace):
    assert run("user", "add", "alice", "--password", "a-long-secret-1").exit_code == 0
    duplicate = run("user", "add", "Alice", "--password", "a-long-secret-1")
    assert duplicate.exit_code == 3 and "already exists" in duplicate.output
    assert run("user", "add", "bob", "--password", "short").exit_code == 3
    assert run("user", "add", "bad name!", "--password", "a-long-secret-1").exit_code == 3
    assert run("user", "add", "carl", "--password", "a-long-secret-1", "--workspace", "nowhere").exit_code == 4
    wrong_role = run("user", "add", "dan", "--password", "a-long-secret-1", "--workspace", workspace.slug,
                     "--role", "king")
    assert wrong_role.exit_code == 2
    assert not get_user_model().objects.filter(username__in=["bob", "carl", "dan"]).exists()


def test_passwd(db):
    run("user", "add", "alice", "--email", "alice@example.org", "--password", "a-long-secret-1")
    assert run("user", "passwd", "alice", input="the-new-secret-2\nthe-new-secret-2\n").exit_code == 0
    assert get_user_model().objects.get(username="alice").check_password("the-new-secret-2")
    assert run("user", "passwd", "alice@example.org", "--password", "third-secret-3").exit_code == 0
    assert run("user", "passwd", "nobody", "--password", "third-secret-3").exit_code == 4


def test_member_add_list_remove(workspace):
    run("user", "add", "olivia", "--password", "a-long-secret-1", "--workspace", workspace.slug, "--role", "owner")
    run("user", "add", "victor", "--email", "victor@example.org", "--password", "a-long-secret-1")
    assert run("member", "add", "-w", workspace.slug, "victor@example.org", "--role", "viewer").exit_code == 0
    assert run("member", "add", "-w", workspace.slug, "victor", "--role", "editor").exit_code == 0  # role change
    members = json.loads(run("member", "list", "-w", workspace.slug, "--json").output)
    assert [(m["username"], m["role"]) for m in members] == [("olivia", "owner"), ("victor", "editor")]
    assert run("member", "remove", "-w", workspace.slug, "victor").exit_code == 0
    assert run("member", "remove", "-w", workspace.slug, "victor").exit_code == 4
    last = run("member", "remove", "-w", workspace.slug, "olivia")
    assert last.exit_code == 3 and "last owner" in last.output
    assert run("member", "add", "-w", workspace.slug, "olivia", "--role", "viewer").exit_code == 3
    assert run("member", "list", "-w", "nowhere").exit_code == 4
    assert run("member", "add", "-w", workspace.slug, "ghost", "--role", "viewer").exit_code == 4
    actions = list(ChangeLogEntry.objects.filter(object_type="membership", object_slug="victor")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["create", "update", "delete"]


@pytest.mark.django_db(transaction=True)
def test_setup_twice_makes_one_admin_and_one_advisor(settings, tmp_path, client):
    settings.VAR_DIR = tmp_path
    first = run("setup")
    assert first.exit_code == 0, first.output
    assert "Advisor (auditor of the demos): conseil / password" in first.output
    second = run("setup")
    assert second.exit_code == 0, second.output
    User = get_user_model()
    admins = User.objects.filter(is_superuser=True)
    assert admins.count() == 1
    advisor = User.objects.get(email="conseil@mue.example")
    assert advisor.username == "conseil" and not advisor.is_superuser and not advisor.is_staff
    demos = set(Workspace.objects.filter(slug__in=["valmont", "atelier"]).values_list("slug", flat=True))
    assert demos == {"valmont", "atelier"}
    roles = {(m.user.username, m.workspace.slug, m.role)
             for m in Membership.objects.select_related("user", "workspace")}
    assert roles == {("admin", "valmont", "owner"), ("admin", "atelier", "owner"),
                     ("conseil", "valmont", "auditor"), ("conseil", "atelier", "auditor")}
    secret = tmp_path / "initial-advisor.txt"
    login, password = secret.read_text().split()
    assert login == "conseil" and advisor.check_password(password)
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert password in second.output  # still printed while the file is kept
    # The advisor reads both demos, and there is nothing else to see.
    client.force_login(advisor)
    assert client.get("/w/valmont/").status_code == 200 and client.get("/w/atelier/").status_code == 200
    assert client.get("/w/valmont/members/invite/").status_code == 404
    client.force_login(admins.get())
    assert client.get("/w/valmont/members/").status_code == 200
