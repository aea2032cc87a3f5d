"""The `mue` command: workspaces, import/export round trip, exit codes, help on every command."""

import copy
import json

import pytest
from typer.testing import CliRunner

from mue.cli.app import ExitCode
from mue.cli.main import app
from mue.core.models import Workspace
from mue.interchange.exporter import dumps
from tests.helpers import BASE_DOCUMENT

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_init_and_workspaces(db):
    result = invoke("init", "ma-commune", "--name", "Ma commune", "--kind", "commune")
    assert result.exit_code == 0, result.output
    assert Workspace.objects.get(slug="ma-commune").kind == "commune"
    assert invoke("init", "ma-commune", "--name", "Encore").exit_code == ExitCode.INVALID_INPUT
    assert invoke("init", "Bad Slug", "--name", "X").exit_code == ExitCode.INVALID_INPUT
    listing = invoke("workspaces")
    assert listing.exit_code == 0 and "ma-commune" in listing.output


def test_import_export_round_trip_through_files(db, tmp_path):
    source = tmp_path / "valmont.yaml"
    source.write_bytes(dumps(copy.deepcopy(BASE_DOCUMENT), "yaml"))
    assert invoke("import", str(source)).exit_code == 0
    out_json = tmp_path / "export.json"
    result = invoke("export", "valmont", "-o", str(out_json))
    assert result.exit_code == 0, result.output
    exported = json.loads(out_json.read_text())
    assert {a["slug"] for a in exported["applications"]} == {"portail", "cantine-app"}
    # importing the export into another workspace, then again: second time changes nothing
    assert invoke("import", str(out_json), "--workspace", "copie").exit_code == 0
    again = invoke("import", str(out_json), "--workspace", "copie", "--json")
    assert again.exit_code == 0
    [report] = json.loads(again.stdout)
    assert report["ok"] and not report["created"] and not report["updated"]


def test_rejected_import_exits_3_and_lists_problems(db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("workspace: {slug: w, name: W}\napplications:\n  - {slug: a, name: A, kind: saas, status: nope}\n")
    result = invoke("import", str(bad))
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "bad.yaml" in result.output and "line 3" in result.output and "status" in result.output
    assert not Workspace.objects.filter(slug="w").exists()


def test_export_of_unknown_workspace_exits_4(db):
    assert invoke("export", "nowhere").exit_code == ExitCode.NOT_FOUND


@pytest.mark.parametrize("command", [[], ["init"], ["import"], ["export"], ["demo"], ["serve"], ["setup"],
                                     ["workspaces"], ["schema"], ["datamodel"], ["i18n", "compile"]])
def test_every_command_has_help(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0 and "Usage" in result.output


def test_broken_demo_file_is_reported_not_a_traceback(db, tmp_path, monkeypatch):
    import mue.demo

    broken = tmp_path / "broken.yaml"
    broken.write_text("workspace: {slug: broken, name: B}\nunits:\n  - {slug: u, name: U, parent: nowhere}\n")
    monkeypatch.setitem(mue.demo.DEMOS, "broken", broken)
    result = invoke("demo", "broken")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "line 3" in result.output and "parent" in result.output and "Traceback" not in result.output
    assert invoke("demo", "nothing-like-this").exit_code == ExitCode.NOT_FOUND


@pytest.mark.parametrize("language, expected", [
    ("fr", ["Commandes", "Auditer un espace de travail", "Trouver quels services en ligne sont utilisés"]),
    ("en", ["Commands", "Audit a workspace", "Find which online services are used"]),
])
def test_help_speaks_the_users_language(compiled, language, expected):
    """Help texts and typer's own words are translated when the commands are defined (a fresh process)."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, MUE_LANGUAGE=language, COLUMNS="200")
    done = subprocess.run([sys.executable, "-m", "mue.cli.main", "--help"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    for text in expected:
        assert text in done.stdout, done.stdout
