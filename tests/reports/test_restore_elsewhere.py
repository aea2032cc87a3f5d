"""A handover restored on another instance — its own database and data directory, another process —
gives the same workspace: every object, link, history entry and report byte for byte. On the suite's
backend: two SQLite files, or (the PostgreSQL run) two PostgreSQL databases made for the test."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

# The original instance: Valmont with a file, a comment, a deleted object, a published report; then its
# handover archive and the canonical dump of the workspace (ids replaced by ranks: tests.reports.test_handover).
ORIGINAL = """
import sys, base64, json
from django.core.files.base import ContentFile
from django.core.management import call_command
call_command("migrate", verbosity=0)
from mue.applications.models import Application
from mue.audit.engine import run_audit
from mue.comments.models import Comment
from mue.core.models import Workspace
from mue.demo import load_demo, today
from mue.documents.models import Document
from mue.reports import services
from mue.reports.handover import archive_bytes
from mue.services.models import Service
from tests.reports.test_restore_elsewhere import dump
load_demo("valmont")
ws = Workspace.objects.get(slug="valmont")
run_audit(ws, as_of=today(), store=True, actor="test")
doc = Document.objects.filter(workspace=ws).first()
doc.file.save("procedure.pdf", ContentFile(b"%PDF-1.4 procedure"), save=True)
service = Service.objects.filter(workspace=ws).order_by("slug").first()
Comment.objects.create(workspace=ws, target_type="service", target_id=service.pk, author_name="Claire", body="À revoir")
Application.objects.get(workspace=ws, slug="zoom").delete()
draft = services.current_draft(ws, author_name="Claire Martin")
services.submit(draft)
services.review(draft, verdict="approved", name="Paul")
services.publish(draft, formats=("html", "docx"))
open(sys.argv[1], "wb").write(archive_bytes(ws))
print(dump(ws))
"""

COPY = """
import sys
from django.core.management import call_command
call_command("migrate", verbosity=0)
from mue.reports.handover import restore
from tests.reports.test_restore_elsewhere import dump
print(dump(restore(open(sys.argv[1], "rb"))))
"""


def dump(workspace) -> str:
    """The canonical rows of a workspace as JSON (bytes as base64), for comparing two instances."""
    from tests.reports.test_handover import canonical

    def default(value):
        if isinstance(value, bytes | memoryview):
            return {"bytes": base64.b64encode(bytes(value)).decode()}
        return str(value)

    return json.dumps(canonical(workspace), default=default, sort_keys=True, ensure_ascii=False)


def _databases():
    """(environment of instance A, of instance B, clean-up) on the suite's backend."""
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        return {}, {}, lambda: None
    import psycopg

    names = [f"mue_restore_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"],
              "password": db["PASSWORD"] or None, "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**params) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(**params) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def url(name: str) -> str:
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{params['host']}:{params['port']}/{name}"

    return {"DATABASE_URL": url(names[0])}, {"DATABASE_URL": url(names[1])}, drop


def _run(code: str, var_dir: Path, extra: dict, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(extra, MUE_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="mue.settings",
               PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'src'}", MUE_JOBS_RUNNER="inline")
    setup = "import django; django.setup()\n"
    done = subprocess.run([sys.executable, "-c", setup + code, *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


def test_restored_on_another_instance_is_the_same_workspace(tmp_path):
    first, second, drop = _databases()
    try:
        archive = tmp_path / "valmont.zip"
        original = json.loads(_run(ORIGINAL, tmp_path / "a", first, str(archive)))
        copy = json.loads(_run(COPY, tmp_path / "b", second, str(archive)))
    finally:
        drop()
    assert original["core.ChangeLogEntry"] and original["reports.ReportFile"] and original["documents.Document"]
    assert copy.keys() == original.keys()
    for label in original:
        assert copy[label] == original[label], label
    assert not (tmp_path / "b" / "media").samefile(tmp_path / "a" / "media")
