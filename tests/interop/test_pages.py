"""The interoperability page: downloads, preview then import of a model or a dump, permissions, queries."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mue.core.models import Membership, Workspace
from mue.interchange.archimate.writer import validate

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def ws(db):
    from mue.interchange.importer import import_document
    from tests.graph.conftest import TOWN

    import_document(TOWN)
    return Workspace.objects.get(slug="ville")


def _member(client, django_user_model, ws, role: str):
    user = django_user_model.objects.create_user(role, password="pw")
    Membership.objects.create(workspace=ws, user=user, role=role)
    client.force_login(user)
    return client


def test_page_and_downloads_for_a_viewer(client, django_user_model, ws):
    viewer = _member(client, django_user_model, ws, "viewer")
    page = viewer.get("/w/ville/interop/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Download the ArchiMate model" in text and "Import from another tool" not in text
    assert "/w/ville/graph/graph.graphml" in text
    model = viewer.get("/w/ville/interop/archimate.xml")
    assert model.status_code == 200 and 'filename="ville-archimate.xml"' in model["Content-Disposition"]
    assert validate(model.content) == []
    assert viewer.post("/w/ville/interop/import/", {"origin": "archimate"}).status_code == 404  # may not change


def test_archimate_download_queries_do_not_grow_with_the_workspace(client, django_user_model, ws):
    from mue.interchange.importer import import_document
    from tests.graph.conftest import scaled

    big = scaled(30)
    big["workspace"]["slug"] = "big"
    import_document(big)
    viewer = _member(client, django_user_model, ws, "viewer")
    Membership.objects.create(workspace=Workspace.objects.get(slug="big"),
                              user=django_user_model.objects.get(username="viewer"), role="viewer")
    viewer.get("/w/ville/interop/archimate.xml")  # the session's first queries
    with CaptureQueriesContext(connection) as small:
        assert viewer.get("/w/ville/interop/archimate.xml").status_code == 200
    with CaptureQueriesContext(connection) as large:
        response = viewer.get("/w/big/interop/archimate.xml")
    assert response.status_code == 200 and response.content.count(b"<element ") > 200
    assert len(large) <= len(small), [q["sql"] for q in large.captured_queries]


def test_preview_then_import_of_a_mercator_dump(client, django_user_model, ws):
    editor = _member(client, django_user_model, ws, "editor")
    dump = SimpleUploadedFile("mercator.sql", (FIXTURES / "mercator" / "mercator_data_fr.sql").read_bytes())
    preview = editor.post("/w/ville/interop/import/", {"origin": "mercator", "file": dump}, follow=True)
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "Preview: what the import will do" in text and "What was mapped, merged and left out" in text
    from mue.applications.models import Application

    assert not Application.objects.filter(workspace=ws, slug="app-1").exists()  # nothing written yet
    done = editor.post(preview.redirect_chain[-1][0], {"action": "import"}, follow=True)
    assert "Import done" in done.content.decode()
    assert Application.objects.filter(workspace=ws, slug="app-1").exists()


def test_a_bad_file_shows_its_problems_and_writes_nothing(client, django_user_model, ws):
    editor = _member(client, django_user_model, ws, "editor")
    bad = SimpleUploadedFile("model.xml", b"<model")
    page = editor.post("/w/ville/interop/import/", {"origin": "archimate", "file": bad}, follow=True)
    assert "not well-formed XML" in page.content.decode()
    assert editor.post("/w/ville/interop/import/", {"origin": "visio"}).status_code == 400
    assert editor.post("/w/ville/interop/import/", {"origin": "archimate"}).status_code == 400
    # the spreadsheet import page sends such files here
    other = editor.post("/w/ville/import/", {"file": SimpleUploadedFile("m.xml", b"<model/>")})
    assert "Interoperability page" in other.content.decode()
