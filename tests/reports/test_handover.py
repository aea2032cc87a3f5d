"""The handover archive: a restored workspace is the same, object by object, link by link, entry by
entry, report byte for byte; a damaged archive is refused and nothing is written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import orjson
import pytest
from django.core.files.base import ContentFile
from django.db import models

from mue.comments.models import Comment
from mue.core import custom
from mue.core.models import ChangeLogEntry, Workspace
from mue.documents.models import Document
from mue.organization.models import Unit
from mue.reports import services
from mue.reports.handover import HandoverError, archive_bytes, carried_models, model_of_type, restore
from mue.reports.models import Interest
from mue.vendors.models import Contract, ExternalParty
from mue.web.models import SavedView

pytestmark = pytest.mark.django_db


def _rank(ws: Workspace) -> dict[type[models.Model], dict[int, int]]:
    from mue.core.integrity import workspace_path

    ranks = {Workspace: {ws.pk: 1}}
    for model in carried_models():
        pks = model._base_manager.filter(**{workspace_path(model): ws.pk}).order_by("pk").values_list("pk", flat=True)
        ranks[model] = {pk: i for i, pk in enumerate(pks, start=1)}
    return ranks


def canonical(ws: Workspace) -> dict[str, list[dict]]:
    """Every row of the workspace with ids replaced by their rank (independent of the restore's code)."""
    from mue.core.integrity import workspace_path

    ranks = _rank(ws)

    def ref(model, value):
        if value is None or model not in ranks:
            return value
        return ranks[model].get(value, ("deleted", abs(value)))

    def snap(model, values):
        if model is None or not isinstance(values, dict):
            return values
        out = dict(values)
        for f in model._meta.concrete_fields:
            if f.many_to_one and f.attname in out:
                out[f.attname] = ref(f.related_model, out[f.attname])
        for f in model._meta.many_to_many:
            if isinstance(out.get(f.name), list):
                out[f.name] = [ref(f.related_model, v) for v in out[f.name]]
        return out

    result = {}
    for model in carried_models():
        rows = []
        for row in model._base_manager.filter(**{workspace_path(model): ws.pk}).order_by("pk").values():
            row["id"] = ranks[model][row["id"]]
            for f in model._meta.concrete_fields:
                if f.many_to_one:
                    row[f.attname] = None if f.related_model._meta.label == "auth.User" else \
                        ref(f.related_model, row[f.attname])
                if isinstance(f, models.BinaryField) and row[f.attname] is not None:
                    row[f.attname] = bytes(row[f.attname])
                if isinstance(f, models.FileField) and row[f.attname]:
                    with f.storage.open(row[f.attname], "rb") as handle:
                        row[f.attname] = handle.read()  # the content, whatever name storage gave it
            for prefix in ("object", "target"):
                if f"{prefix}_type" in row and f"{prefix}_id" in row:
                    target = model_of_type(row[f"{prefix}_type"])
                    row[f"{prefix}_id"] = ref(target, row[f"{prefix}_id"])
                    if "before" in row:
                        row["before"], row["after"] = snap(target, row["before"]), snap(target, row["after"])
            rows.append(row)
        result[model._meta.label] = rows
    return result


@pytest.fixture
def rich_valmont(valmont, draft, settings, tmp_path):
    """Valmont with everything a handover carries: a file, a comment, a deleted object, a published report."""
    from mue.applications.models import Application

    settings.MEDIA_ROOT = str(tmp_path / "media")
    doc = Document.objects.filter(workspace=valmont).first()
    doc.file.save("procedure.pdf", ContentFile(b"%PDF-1.4 procedure"), save=True)
    service = valmont_service(valmont)
    Comment.objects.create(workspace=valmont, target_type="service", target_id=service.pk, author_name="Claire",
                           body="À revoir avec la DGS")
    Application.objects.filter(workspace=valmont, slug="zoom").get().delete()  # its history stays
    Interest.objects.create(workspace=valmont, advisor="Claire", nature="commission", percentage="5",
                            party=ExternalParty.objects.filter(workspace=valmont).first())
    SavedView.objects.create(workspace=valmont, object_type="contracts", name="MAPA", shared=True,
                             query="cf_mode-passation=MAPA&columns=name", owner_name="Claire")
    services.submit(draft)
    services.review(draft, verdict="approved", name="Paul")
    services.publish(draft, formats=("html",))
    return valmont


def valmont_service(ws):
    from mue.services.models import Service

    return Service.objects.filter(workspace=ws).order_by("slug").first()


def test_restore_beside_gives_the_same_workspace(rich_valmont):
    before = canonical(rich_valmont)
    assert before["core.ChangeLogEntry"] and before["reports.ReportFile"] and before["audit.Finding"]
    restored = restore(io.BytesIO(archive_bytes(rich_valmont)), "valmont-copie")
    assert restored.slug == "valmont-copie" and restored.pk != rich_valmont.pk
    after = canonical(restored)
    assert after.keys() == before.keys()
    for label in before:
        assert after[label] == before[label], label
    # The workspace's custom fields and their values came along (the comparison above holds them too).
    assert len(before["core.CustomField"]) == 3
    assert custom.definitions(restored, "contracts")[0].slug == "mode-passation"
    held = Contract.objects.filter(workspace=restored, custom__has_key="mode-passation").count()
    assert held == Contract.objects.filter(workspace=restored).count() == 22
    assert Unit.objects.get(workspace=restored, slug="police").custom == {"referent-numerique": "olivier-masson"}
    assert SavedView.objects.get(workspace=restored).query == "cf_mode-passation=MAPA&columns=name"  # so do views
    # The comparison sees a difference in any value, link or history entry.
    ChangeLogEntry.objects.filter(workspace=restored).order_by("id").filter(
        pk=ChangeLogEntry.objects.filter(workspace=restored).order_by("id").values("pk")[:1]).update(actor_name="x")
    assert canonical(restored)["core.ChangeLogEntry"] != before["core.ChangeLogEntry"]
    # The restored history still names the deleted application, and not as a live object.
    deleted = ChangeLogEntry.objects.filter(workspace=restored, object_type="application", action="delete").get()
    assert deleted.object_id < 0 and deleted.object_slug == "zoom"


def test_restore_on_a_fresh_instance_after_the_original_is_gone(rich_valmont):
    from mue.core.deletion import delete_workspace

    before = canonical(rich_valmont)
    data = archive_bytes(rich_valmont)
    stored = bytes(services.published(rich_valmont).files.get(format="html").content)
    delete_workspace(rich_valmont)
    restored = restore(io.BytesIO(data))
    assert restored.slug == "valmont"
    assert canonical(restored) == before
    assert services.render(services.published(restored), "html") == stored


def test_archive_has_manifest_readme_and_map(rich_valmont):
    with zipfile.ZipFile(io.BytesIO(archive_bytes(rich_valmont))) as z:
        manifest = orjson.loads(z.read("manifest.json"))
        names = set(z.namelist())
        readme = z.read("README.md").decode()
    assert manifest["format"] == "mue-handover/1"
    assert manifest["tables"]["core.ChangeLogEntry"]["rows"] == ChangeLogEntry.objects.filter(
        workspace=rich_valmont).count()
    assert {"map.yaml", "README.md", "data/audit.Finding.jsonl"} <= names
    assert any(n.startswith("files/documents/") for n in names) and any(n.startswith("reports/") for n in names)
    assert "## Français" in readme and "## English" in readme
    assert set(manifest["files"]) == names - {"manifest.json"}


def _rewrite(data: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, change(name, src.read(name)))
    return out.getvalue()


def _nothing_written(count: int, slug: str) -> None:
    assert Workspace.objects.count() == count and not Workspace.objects.filter(slug=slug).exists()


@pytest.mark.parametrize("damage,message", [
    (lambda data: data[: len(data) // 2], "not a complete handover archive"),
    (lambda data: b"not a zip at all", "not a complete handover archive"),
    (lambda data: _rewrite(data, lambda n, b: b.replace(b"Valmont", b"Valmond") if n == "map.yaml" else b),
     "does not match its checksum"),
    (lambda data: _rewrite(data, lambda n, b: b"" if n == "manifest.json" else b), "not a complete"),
    (lambda data: _rewrite(data, lambda n, b: b.replace(b"mue-handover/1", b"mue-handover/9")
                           if n == "manifest.json" else b), "unknown archive format"),
])
def test_a_damaged_archive_is_refused_and_nothing_written(rich_valmont, damage, message):
    data = damage(archive_bytes(rich_valmont))
    count = Workspace.objects.count()
    with pytest.raises(HandoverError, match=message):
        restore(io.BytesIO(data), "copie")
    _nothing_written(count, "copie")


def test_an_archive_whose_rows_cannot_be_written_writes_nothing(rich_valmont, settings):
    import hashlib

    original = archive_bytes(rich_valmont)

    def duplicate_first_application(name: str, body: bytes) -> bytes:
        if name == "data/applications.Application.jsonl":
            first = body.splitlines()[0]
            row = orjson.loads(first)
            row["id"] += 10_000_000
            return body + orjson.dumps(row) + b"\n"  # the same slug twice
        return body

    broken = _rewrite(original, duplicate_first_application)
    with zipfile.ZipFile(io.BytesIO(broken)) as z:  # a consistent manifest, so only the database can object
        manifest = orjson.loads(z.read("manifest.json"))
        body = z.read("data/applications.Application.jsonl")
    manifest["files"]["data/applications.Application.jsonl"] = {"sha256": hashlib.sha256(body).hexdigest(),
                                                                  "size": len(body)}
    manifest["tables"]["applications.Application"]["rows"] += 1
    broken = _rewrite(broken, lambda n, b: orjson.dumps(manifest) if n == "manifest.json" else b)
    media = Path(settings.MEDIA_ROOT)
    count, files = Workspace.objects.count(), sorted(media.rglob("*"))
    with pytest.raises(HandoverError, match="cannot be written"):
        restore(io.BytesIO(broken), "copie")
    _nothing_written(count, "copie")
    assert sorted(media.rglob("*")) == files


def test_cli_handover_and_restore(rich_valmont, tmp_path):
    from typer.testing import CliRunner

    from mue.cli.main import app

    runner = CliRunner()
    out = tmp_path / "valmont.zip"
    result = runner.invoke(app, ["handover", "-w", "valmont", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["restore", str(out)]).exit_code == 3  # valmont exists
    result = runner.invoke(app, ["restore", str(out), "--as", "valmont-2"])
    assert result.exit_code == 0, result.output
    assert canonical(Workspace.objects.get(slug="valmont-2")) == canonical(rich_valmont)
    out.write_bytes(out.read_bytes()[:1000])
    result = runner.invoke(app, ["restore", str(out), "--as", "valmont-3"])
    assert result.exit_code == 3 and "nothing was restored" in result.output and "Traceback" not in result.output
