"""Deleting a workspace: every table emptied of it, in one go, others untouched; the page, the CLI, the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from mue.core import deletion, integrity
from mue.core.models import ChangeLogEntry, Workspace
from tests.core.test_integrity import make


def _fill(ws: Workspace) -> None:
    """At least one row of every table that belongs to a workspace, links and history included."""
    for model in integrity.scoped_models(include_auto_created=False):
        make(model, ws)
    from mue.core.registry import registry

    for otype in registry:  # a link row in every many-to-many table, through the ORM (so it is logged)
        for f in otype.model._meta.many_to_many:
            getattr(make(otype.model, ws), f.name).add(make(f.related_model, ws))


def _rows_of(ws_id: int) -> dict[str, int]:
    return {m._meta.label: m._base_manager.filter(**{integrity.workspace_path(m): ws_id}).count()
            for m in integrity.scoped_models()}


@pytest.fixture
def two(db):
    from mue.demo import load_demo

    load_demo("valmont")
    load_demo("atelier")
    a, b = Workspace.objects.get(slug="valmont"), Workspace.objects.get(slug="atelier")
    _fill(a)
    _fill(b)
    return a, b


def test_every_table_is_filled_by_the_fixture(two):
    a, _b = two
    empty = [label for label, n in _rows_of(a.pk).items() if not n]
    assert not empty


def test_delete_workspace_empties_every_table_and_keeps_the_other(two):
    a, b = two
    other_before = _rows_of(b.pk)
    other_log = list(ChangeLogEntry.objects.filter(workspace=b).values_list("pk", flat=True))
    assert other_log
    expected = deletion.contents(a)
    report = deletion.delete_workspace(a)
    assert not Workspace.objects.filter(pk=a.pk).exists()
    assert not any(_rows_of(a.pk).values())
    assert _rows_of(b.pk) == other_before
    assert list(ChangeLogEntry.objects.filter(workspace=b).values_list("pk", flat=True)) == other_log
    assert report.total == expected.total + 1  # and the workspace row
    assert report.by_label() == expected.by_label()
    assert not ChangeLogEntry.objects.filter(workspace_id=a.pk).exists()  # nothing logged by the deletion


def test_deletion_order_puts_children_first():
    order = deletion.deletion_order()
    position = {m: i for i, m in enumerate(order)}
    for model in order:
        for f in model._meta.concrete_fields:
            if f.many_to_one and f.related_model in position and f.related_model is not model:
                assert position[model] < position[f.related_model], (model, f.name)


def test_model_and_queryset_delete_use_it(two):
    a, b = two
    total, counts = a.delete()
    assert total > 100 and counts["core.Workspace"] == 1
    assert not any(_rows_of(a.pk).values())
    Workspace.objects.filter(pk=b.pk).delete()
    assert not Workspace.objects.exists()


def test_the_admin_deletes_a_workspace(two, admin_client):
    a, b = two
    url = reverse("admin:core_workspace_delete", args=[a.pk])
    confirm = admin_client.get(url)
    assert confirm.status_code == 200 and "Cannot delete" not in confirm.content.decode()
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Workspace.objects.filter(pk=a.pk).exists() and Workspace.objects.filter(pk=b.pk).exists()


# -- the owner's page -----------------------------------------------------------------------------------


@pytest.fixture
def member(client, django_user_model):
    from mue.core.models import Membership

    def sign_in(ws: Workspace, role: str):
        user = django_user_model.objects.create_user(f"{role}-{ws.slug}", password="pw-123456789")
        Membership.objects.create(workspace=ws, user=user, role=role)
        client.force_login(user)
        return client

    return sign_in


def test_page_lists_what_goes_and_deletes_for_the_owner(two, member):
    a, b = two
    client = member(a, "owner")
    url = reverse("web:workspace_delete", args=[a.slug])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-mue-confirm" in html and "btn-danger" in html and "Applications" in html
    wrong = client.post(url, {"confirm_slug": "not-it"})
    assert wrong.status_code == 400 and Workspace.objects.filter(pk=a.pk).exists()
    done = client.post(url, {"confirm_slug": a.slug})
    assert done.status_code == 302 and done["Location"] == reverse("web:home")
    assert not Workspace.objects.filter(pk=a.pk).exists() and Workspace.objects.filter(pk=b.pk).exists()


@pytest.mark.parametrize("role", ["editor", "auditor", "viewer"])
def test_page_refuses_non_owners_with_404(two, member, role):
    a, b = two
    client = member(a, role)
    url = reverse("web:workspace_delete", args=[a.slug])
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm_slug": a.slug}).status_code == 404
    assert client.post(reverse("web:workspace_delete", args=[b.slug]), {"confirm_slug": b.slug}).status_code == 404
    assert Workspace.objects.count() == 2


def test_page_needs_sign_in(two, client):
    a, _b = two
    assert client.get(reverse("web:workspace_delete", args=[a.slug])).status_code == 302


# -- mue workspace delete -------------------------------------------------------------------------------


def _cli(*args: str, input: str | None = None):
    from mue.cli.main import app

    return CliRunner().invoke(app, ["workspace", "delete", *args], input=input)


def test_cli_asks_for_the_slug(two):
    a, _b = two
    refused = _cli(a.slug, input="nope\n")
    assert refused.exit_code == 2 and Workspace.objects.filter(pk=a.pk).exists()
    done = _cli(a.slug, input=f"{a.slug}\n")
    assert done.exit_code == 0, done.output
    assert "Applications" in done.output and not Workspace.objects.filter(pk=a.pk).exists()


def test_cli_yes_skips_the_question_and_reports_counts(two):
    import json

    a, b = two
    result = _cli(b.slug, "--yes", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["workspace"] == "atelier" and data["deleted"]["Applications"] > 0
    assert Workspace.objects.filter(pk=a.pk).exists()
    assert _cli("nope", "--yes").exit_code == 4
