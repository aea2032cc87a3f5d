"""The examples of docs/api.md, run as written against a live server with a real token."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def examples() -> list[tuple[str, str]]:
    return re.findall(r"```(sh|python)\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


@pytest.fixture
def live(live_server, transactional_db, django_user_model, settings, tmp_path):
    from mue.api.tokens import create_token
    from mue.core.models import Membership, Workspace
    from mue.interchange.importer import import_document

    settings.MUE_API_RATE_LIMIT = None
    settings.MUE_JOBS_RUNNER = "inline"  # a detached job process could not see the test database
    import_document({"workspace": {"slug": "docs", "name": "Docs"},
                     "applications": [{"slug": "crm", "name": "CRM", "kind": "saas", "status": "tolerated"}],
                     "services": [{"slug": "paie", "name": "Paie", "criticality": 4, "applications": ["crm"]}]})
    user = django_user_model.objects.create_user("scripter", password="pw-123456789")
    Membership.objects.create(workspace=Workspace.objects.get(slug="docs"), user=user, role="auditor",
                              can_edit=True)  # an advisor granted editing: audits and writes
    return {**os.environ, "MUE_URL": live_server.url, "MUE_TOKEN": create_token(user, "docs")[1],
            "MUE_WORKSPACE": "docs", "LANG": "C", "MUE_DOC_DIR": str(tmp_path)}


def _run(kind: str, code: str, env: dict) -> str:
    command = ["bash", "-euo", "pipefail", "-c", code] if kind == "sh" else [sys.executable, "-c", code]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, cwd=env["MUE_DOC_DIR"])
    assert done.returncode == 0, f"{code}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_every_example_runs(live):
    from mue.applications.models import Application
    from mue.core.models import ChangeLogEntry
    from mue.services.models import Service

    runnable = examples()
    assert len(runnable) >= 6
    outputs = [_run(kind, code, live) for kind, code in runnable]
    assert '"slug":"crm"' in outputs[0].replace(" ", "")
    assert outputs[1].strip() == "1 applications"
    assert '"status":"approved"' in outputs[2].replace(" ", "")
    assert "'created': 2" in outputs[3] and "200 {'created': 1" in outputs[3]
    service = Service.objects.get(slug="accueil-population")
    assert sorted(service.applications.values_list("slug", flat=True)) == ["etat-civil", "portail-famille"]
    assert Application.objects.get(slug="crm").status == "approved"
    assert set(ChangeLogEntry.objects.filter(workspace__slug="docs", source="api").values_list(
        "actor_name", flat=True)) == {"scripter"}
    lines = outputs[4].splitlines()
    assert re.fullmatch(r"score [0-9.]+ - \d+ open high findings", lines[0]), outputs[4]
    from mue.audit.models import Finding

    expected = Finding.objects.filter(run__workspace__slug="docs", run__live=False, severity="high", status="open")
    assert int(lines[0].split(" - ")[1].split()[0]) == expected.count() == len(lines) - 1 > 0, outputs[4]
    assert {line.split(" - ")[0] for line in lines[1:]} == {
        f"{f.rule_id} {f.object_type} {f.object_slug}" for f in expected}
    preview = json.loads(outputs[5])
    assert preview["dry_run"] and preview["updated"] == {"applications": 1}, preview
    assert Application.objects.get(slug="crm").name == "CRM"  # a preview writes nothing
    again = _run(*runnable[3], live)
    assert "'unchanged': 2" in again
