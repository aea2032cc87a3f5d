"""One change log, whatever the path: import, CLI, admin, plain ORM (and later UI and API)."""

import copy

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from typer.testing import CliRunner

from mue.applications.models import Application
from mue.core.changelog import change_context
from mue.core.models import ChangeLogEntry, Workspace
from mue.interchange.importer import import_document
from tests.helpers import BASE_DOCUMENT


def entries(**filters):
    return list(ChangeLogEntry.objects.filter(**filters).order_by("id"))


def test_import_logs_each_created_object_with_after_values(db):
    import_document(copy.deepcopy(BASE_DOCUMENT), actor="marie", channel="import")
    created = entries(action="create")
    objects = sum(len(v) for k, v in BASE_DOCUMENT.items() if k != "workspace")
    assert len(created) == objects
    app = next(e for e in created if e.object_slug == "cantine-app")
    assert app.actor_name == "marie" and app.source == "import" and app.object_type == "application"
    assert app.after["kind"] == "on-premises"
    assert app.after["depends_on"] == [Application.objects.get(slug="portail").pk]
    assert len({e.request_id for e in created}) == 1  # one import, one request id


def test_reimport_logs_nothing_and_update_logs_only_the_difference(db):
    import_document(copy.deepcopy(BASE_DOCUMENT))
    count = ChangeLogEntry.objects.count()
    assert not import_document(copy.deepcopy(BASE_DOCUMENT)).changed
    assert ChangeLogEntry.objects.count() == count

    doc = copy.deepcopy(BASE_DOCUMENT)
    doc["applications"][0]["status"] = "tolerated"
    doc["services"][0]["applications"] = ["portail"]
    import_document(doc)
    [app_change] = entries(action="update", object_type="application")
    assert app_change.before == {"status": "approved"} and app_change.after == {"status": "tolerated"}
    [service_change] = entries(action="update", object_type="service")
    portail = Application.objects.get(slug="portail").pk
    cantine_app = Application.objects.get(slug="cantine-app").pk
    assert service_change.before == {"applications": sorted([portail, cantine_app])}
    assert service_change.after == {"applications": [portail]}


def test_self_reference_change_is_logged(db):
    import_document(copy.deepcopy(BASE_DOCUMENT))
    doc = copy.deepcopy(BASE_DOCUMENT)
    doc["units"][1]["parent"] = None
    import_document(doc)
    [change] = entries(action="update", object_type="unit")
    assert change.object_slug == "enfance" and change.after == {"parent_id": None}


def test_failed_import_logs_nothing(db):
    doc = copy.deepcopy(BASE_DOCUMENT)
    doc["applications"][0]["status"] = "unknown-status"
    with pytest.raises(Exception):  # noqa: B017 - ImportFailed, the kind does not matter here
        import_document(doc)
    assert ChangeLogEntry.objects.count() == 0


def test_cli_import_logs_as_the_cli_user(db, tmp_path):
    from mue.cli.main import app
    from mue.interchange.exporter import dumps

    path = tmp_path / "map.yaml"
    path.write_bytes(dumps(copy.deepcopy(BASE_DOCUMENT), "yaml"))
    result = CliRunner().invoke(app, ["import", str(path)])
    assert result.exit_code == 0, result.output
    sources = {(e.source, e.actor_name.split(":")[0]) for e in entries()}
    assert sources == {("cli", "cli")}


def test_orm_save_update_delete_and_m2m_are_logged(db):
    ws = Workspace.objects.create(slug="w", name="W")
    app = Application.objects.create(workspace=ws, slug="a", name="A", kind="saas")
    other = Application.objects.create(workspace=ws, slug="b", name="B", kind="saas")
    [created, _] = entries(action="create")
    assert created.actor_name == "system" and created.after["kind"] == "saas"

    app = Application.objects.get(pk=app.pk)
    app.save()  # nothing changed
    assert not entries(action="update")
    app.status = "shadow"
    app.save()
    app.depends_on.add(other)
    updates = entries(action="update")
    assert [u.after for u in updates] == [{"status": "shadow"}, {"depends_on": [other.pk]}]
    assert updates[0].before == {"status": "approved"} and updates[1].before == {"depends_on": []}

    with change_context(actor_name="job:cleanup", source="job"):
        other.delete()
    [deleted] = entries(action="delete")
    assert deleted.object_slug == "b" and deleted.before["name"] == "B" and deleted.after is None
    assert deleted.source == "job" and deleted.actor_name == "job:cleanup"


def test_many_to_many_edits_from_the_other_side_are_logged_on_the_owner(db):
    """``asset.applications.add(app)`` changes the application's ``assets``: logged there, as the forward edit."""
    from mue.audit.changes import changes_since
    from mue.infrastructure.models import Asset

    ws = Workspace.objects.create(slug="w", name="W")
    app = Application.objects.create(workspace=ws, slug="a", name="A", kind="saas")
    other = Application.objects.create(workspace=ws, slug="b", name="B", kind="saas")
    server = Asset.objects.create(workspace=ws, slug="srv", name="Srv", kind="server")
    mark = ChangeLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    server.applications.add(app, other)
    server.applications.remove(other)
    other.dependents.add(app)  # a self reference, from its reverse side: app now depends on other
    server.applications.clear()
    log = [(e.object_slug, e.before, e.after) for e in entries(action="update")]
    assert log == [("a", {"assets": []}, {"assets": [server.pk]}), ("b", {"assets": []}, {"assets": [server.pk]}),
                   ("b", {"assets": [server.pk]}, {"assets": []}),
                   ("a", {"depends_on": []}, {"depends_on": [other.pk]}),
                   ("a", {"assets": [server.pk]}, {"assets": []})]
    changes, _last = changes_since(ws.pk, mark)
    assert {(c.object_id, c.fields) for c in changes} == {
        (app.pk, frozenset({"assets", "depends_on"})), (other.pk, frozenset({"assets"}))}


def test_document_links_edited_outside_the_importer_are_logged_on_their_document(db):
    """Links are not register objects: adding, moving or removing one is an update of the document's
    ``about`` key, as the importer records it, and deleting the linked object removes its links."""
    from mue.documents.models import Document, DocumentLink

    ws = Workspace.objects.create(slug="w", name="W")
    app = Application.objects.create(workspace=ws, slug="a", name="A", kind="saas")
    other = Application.objects.create(workspace=ws, slug="b", name="B", kind="saas")
    doc = Document.objects.create(workspace=ws, slug="d", name="D", kind="procedure")
    link = DocumentLink.objects.create(document=doc, target_type="application", target_id=app.pk)
    link.target_id = other.pk
    link.save()
    first, second = f"application:{app.pk}", f"application:{other.pk}"
    other.delete()  # its links go with it
    log = [(e.before, e.after) for e in entries(object_type="document", action="update")]
    assert log == [({"about": []}, {"about": [first]}), ({"about": [first]}, {"about": [second]}),
                   ({"about": [second]}, {"about": []})]


def test_admin_edits_are_logged_as_the_user(db, client):
    user = get_user_model().objects.create_superuser("admin", "a@example.org", "pw-for-tests")
    client.force_login(user)
    ws = Workspace.objects.create(slug="w", name="W")
    url = reverse("admin:applications_application_add")
    response = client.post(url, {"workspace": ws.pk, "slug": "new-app", "name": "New", "kind": "saas",
                                 "status": "approved", "tags": "a, b"})
    assert response.status_code == 302, response.content[:2000]
    app = Application.objects.get(slug="new-app")
    change_url = reverse("admin:applications_application_change", args=[app.pk])
    response = client.post(change_url, {"workspace": ws.pk, "slug": "new-app", "name": "Renamed", "kind": "saas",
                                        "status": "approved", "tags": "a, b"})
    assert response.status_code == 302
    response = client.post(reverse("admin:applications_application_delete", args=[app.pk]), {"post": "yes"})
    assert response.status_code == 302
    log = entries(object_slug="new-app")
    assert [e.action for e in log] == ["create", "update", "delete"]
    assert {e.actor_name for e in log} == {"admin"} and {e.source for e in log} == {"web"}
    assert log[0].actor_id == user.pk
    assert log[1].before == {"name": "New"} and log[1].after == {"name": "Renamed"}
    assert log[0].after["tags"] == ["a", "b"]


def test_deleting_a_workspace_takes_its_objects_and_history(db):
    import_document(copy.deepcopy(BASE_DOCUMENT))
    other = Workspace.objects.create(slug="other", name="Other")
    Application.objects.create(workspace=other, slug="kept", name="Kept", kind="saas")
    Workspace.objects.get(slug="valmont").delete()
    assert not Application.objects.filter(slug="portail").exists()
    assert list(ChangeLogEntry.objects.values_list("object_slug", flat=True)) == ["kept"]


def test_jsonable_amounts_are_plain_numbers():
    import decimal

    from mue.core.changelog import jsonable

    assert jsonable(decimal.Decimal("12000.00")) == "12000"
    assert jsonable(decimal.Decimal("1234.50")) == "1234.50"
    assert jsonable(decimal.Decimal("0.00")) == "0"
