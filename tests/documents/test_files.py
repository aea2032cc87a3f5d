"""A document's file: kept in its workspace's folder, downloaded only through the permission gate,
attached, replaced and removed by those who may change the register, and gone with its document."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mue.core.models import ChangeLogEntry, Workspace
from mue.documents.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def workspace() -> Workspace:
    return Workspace.objects.create(slug="acme", name="Acme")


@pytest.fixture
def document(workspace) -> Document:
    return Document.objects.create(workspace=workspace, slug="pra", name="Plan de reprise", kind="procedure")


def _urls(document: Document) -> dict[str, str]:
    args = [document.workspace.slug, document.slug]
    return {name: reverse(f"web:document_file{suffix}", args=args)
            for name, suffix in (("download", ""), ("upload", "_upload"), ("remove", "_remove"))}


def _upload(client, document: Document, name: str = "plan.pdf", content: bytes = b"%PDF-1.4 plan", **extra):
    return client.post(_urls(document)["upload"], {"file": SimpleUploadedFile(name, content)}, **extra)


def _stored(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def test_an_editor_attaches_a_file_that_members_download(client, document, member_factory, media):
    client.force_login(member_factory(document.workspace, "editor"))
    response = _upload(client, document)
    assert response.status_code == 302 and response["Location"].endswith("/documents/pra/#tab-file")
    document.refresh_from_db()
    assert document.file.name.startswith(f"documents/{document.workspace_id}/")
    assert document.file.name.endswith("/plan.pdf")
    entry = ChangeLogEntry.objects.filter(object_type="document", object_id=document.pk, action="update").last()
    assert entry.after["file"] == document.file.name and entry.before["file"] == ""

    client.force_login(member_factory(document.workspace, "viewer"))
    download = client.get(_urls(document)["download"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 plan"
    assert download["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"].startswith("sandbox")


def test_the_detail_page_shows_the_file_panel(client, document, member_factory):
    client.force_login(member_factory(document.workspace, "editor"))
    _upload(client, document, "schéma réseau.png", b"\x89PNG...")
    page = client.get(reverse("web:object_detail", args=["acme", "documents", "pra"])).content.decode()
    assert 'id="tab-file"' in page and "schéma_réseau.png" in page
    assert _urls(document)["download"] in page and "Replace the file" in page

    client.force_login(member_factory(document.workspace, "viewer"))
    page = client.get(reverse("web:object_detail", args=["acme", "documents", "pra"])).content.decode()
    assert _urls(document)["download"] in page and "Replace the file" not in page


def test_replacing_deletes_the_old_file_once_committed(client, document, member_factory, media,
                                                      django_capture_on_commit_callbacks):
    client.force_login(member_factory(document.workspace, "editor"))
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, document, "v1.pdf", b"one")
    first = _stored(media)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, document, "v2.pdf", b"two")
    now = _stored(media)
    assert len(first) == len(now) == 1 and first != now and now[0].read_bytes() == b"two"

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_urls(document)["remove"]).status_code == 302
    document.refresh_from_db()
    assert not document.file and _stored(media) == []


def test_a_failed_save_keeps_the_old_file_and_drops_the_new(document, media, monkeypatch):
    from mue.documents import files

    files.attach(document, SimpleUploadedFile("v1.pdf", b"one"))
    kept = _stored(media)

    def fail(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(Document, "save", fail)
    with pytest.raises(RuntimeError):
        files.attach(document, SimpleUploadedFile("v2.pdf", b"two"))
    assert _stored(media) == kept and document.file.name.endswith("/v1.pdf")


@pytest.mark.parametrize("name, content, message", [
    ("run.exe", b"MZ", "Files of this kind (.exe) are not kept."),
    ("noextension", b"x", "Files of this kind (no extension) are not kept."),
    ("empty.pdf", b"", "The file is empty."),
])
def test_refused_uploads_say_why_and_store_nothing(client, document, member_factory, media, name, content, message):
    client.force_login(member_factory(document.workspace, "editor"))
    response = _upload(client, document, name, content)
    assert response.status_code == 422 and message in response.content.decode()
    assert _stored(media) == [] and not Document.objects.get(pk=document.pk).file
    htmx = _upload(client, document, name, content, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 422 and message in htmx.content.decode() and "<html" not in htmx.content.decode()


def test_a_file_over_the_limit_is_refused(client, document, member_factory, media, settings):
    settings.MUE_MAX_UPLOAD_BYTES = 10
    settings.MUE_MAX_UPLOAD_MB = 0.00001
    client.force_login(member_factory(document.workspace, "editor"))
    response = _upload(client, document, "big.pdf", b"x" * 1000)
    assert response.status_code == 422 and "larger than" in response.content.decode()
    assert _stored(media) == []


def test_the_gate_answers_as_for_every_page(client, document, member_factory, media):
    from mue.documents import files

    files.attach(document, SimpleUploadedFile("plan.pdf", b"secret"))
    urls = _urls(document)
    anonymous = client.get(urls["download"])
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]

    stranger_space = Workspace.objects.create(slug="other", name="Other")
    client.force_login(member_factory(stranger_space, "owner"))
    assert client.get(urls["download"]).status_code == 404
    assert _upload(client, document).status_code == 404

    client.force_login(member_factory(document.workspace, "viewer"))
    assert _upload(client, document).status_code == 404
    assert client.post(urls["remove"]).status_code == 404
    assert client.get(urls["upload"]).status_code == 405
    assert Document.objects.get(pk=document.pk).file.name == document.file.name


def test_a_document_without_its_file_answers_404(client, document, member_factory, media):
    from mue.documents import files

    client.force_login(member_factory(document.workspace, "viewer"))
    assert client.get(_urls(document)["download"]).status_code == 404
    files.attach(document, SimpleUploadedFile("plan.pdf", b"x"))
    for path in _stored(media):
        path.unlink()
    assert client.get(_urls(document)["download"]).status_code == 404
    page = client.get(reverse("web:object_detail", args=["acme", "documents", "pra"])).content.decode()
    assert "can no longer be found" in page


def test_behind_a_proxy_the_download_is_handed_to_it(client, document, member_factory, media, settings):
    from mue.documents import files

    settings.MUE_MEDIA_ACCEL_REDIRECT = "/media/"
    files.attach(document, SimpleUploadedFile("plan.pdf", b"x"))
    client.force_login(member_factory(document.workspace, "viewer"))
    response = client.get(_urls(document)["download"])
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == "/media/" + document.file.name
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'


def test_files_go_with_their_document_and_their_workspace(document, media, django_capture_on_commit_callbacks):
    from mue.core.deletion import delete_workspace
    from mue.documents import files

    files.attach(document, SimpleUploadedFile("plan.pdf", b"x"))
    other = Document.objects.create(workspace=document.workspace, slug="psi", name="PSI", kind="other")
    files.attach(other, SimpleUploadedFile("psi.pdf", b"y"))
    assert len(_stored(media)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        document.delete()
    assert [p.name for p in _stored(media)] == ["psi.pdf"]
    with django_capture_on_commit_callbacks(execute=True):
        delete_workspace(other.workspace)
    assert _stored(media) == [] and not (media / "documents" / str(other.workspace_id)).exists()
