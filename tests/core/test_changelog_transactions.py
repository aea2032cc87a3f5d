"""The change log follows the transaction: a write that is rolled back leaves no entry, whatever the
entry point (a web request, a CLI command, a job); a write that commits always has its entry."""

from __future__ import annotations

import pytest
from django.db import transaction
from typer.testing import CliRunner

from mue.applications.models import Application
from mue.core.changelog import change_context
from mue.core.models import ChangeLogEntry, Workspace

pytestmark = pytest.mark.django_db(transaction=True)


class Boom(RuntimeError):
    pass


def test_a_request_that_fails_after_writing_leaves_no_entry(client, django_user_model):
    from mue.core.models import Membership
    from mue.web.views.edit import object_saved

    ws = Workspace.objects.create(slug="w", name="W")
    app = Application.objects.create(workspace=ws, slug="a", name="A", kind="saas")
    user = django_user_model.objects.create_user("u", password="pw-123456789")
    Membership.objects.create(workspace=ws, user=user, role="editor")
    client.force_login(user)
    before = ChangeLogEntry.objects.count()

    def fail(**kwargs):
        raise Boom("after the write")

    object_saved.connect(fail)
    try:
        with pytest.raises(Boom):
            client.post("/w/w/applications/a/edit/", {"name": "Renamed", "kind": "saas", "status": "shadow"})
    finally:
        object_saved.disconnect(fail)
    app.refresh_from_db()
    assert app.name == "A" and ChangeLogEntry.objects.count() == before
    client.post("/w/w/applications/a/edit/", {"name": "Renamed", "kind": "saas", "status": "shadow"})
    assert ChangeLogEntry.objects.filter(object_id=app.pk, action="update", source="web").count() == 1


def test_a_cli_import_that_fails_while_writing_leaves_no_entry(tmp_path, monkeypatch):
    from mue.cli.main import app as cli
    from mue.interchange.importer import MapImport

    path = tmp_path / "map.yaml"
    path.write_text("workspace: {slug: w, name: W}\napplications:\n  - {slug: a, name: A, kind: saas}\n")
    original = MapImport._log

    def log_then_fail(self, ws):
        original(self, ws)
        raise Boom("after logging")

    monkeypatch.setattr(MapImport, "_log", log_then_fail)
    result = CliRunner().invoke(cli, ["import", str(path)])
    assert isinstance(result.exception, Boom)
    assert not Workspace.objects.filter(slug="w").exists() and not ChangeLogEntry.objects.exists()
    monkeypatch.setattr(MapImport, "_log", original)
    assert CliRunner().invoke(cli, ["import", str(path)]).exit_code == 0
    assert ChangeLogEntry.objects.filter(object_slug="a", action="create", source="cli").count() == 1


def test_a_job_that_fails_inside_its_transaction_leaves_no_entry():
    ws = Workspace.objects.create(slug="w", name="W")
    with pytest.raises(Boom), change_context(actor_name="job:test", source="job"), transaction.atomic():
        Application.objects.create(workspace=ws, slug="a", name="A", kind="saas")
        assert ChangeLogEntry.objects.filter(source="job").count() == 1  # written with the change...
        raise Boom("the job fails")
    assert not ChangeLogEntry.objects.exists() and not Application.objects.exists()  # ...and rolled back with it


def test_a_committed_write_keeps_its_entry_even_if_the_job_fails_later():
    ws = Workspace.objects.create(slug="w", name="W")
    with pytest.raises(Boom), change_context(actor_name="job:test", source="job"):
        Application.objects.create(workspace=ws, slug="a", name="A", kind="saas")  # autocommit: committed
        raise Boom("the job fails after a committed write")
    assert Application.objects.filter(slug="a").exists()
    assert ChangeLogEntry.objects.filter(object_slug="a", source="job").count() == 1
