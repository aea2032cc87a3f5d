"""First run: where the data lives, and what every command says on a database that was never set up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mue import settings as mue_settings
from mue.cli.app import ExitCode
from mue.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
# Commands that never touch the database: they work on a fresh install.
WITHOUT_DATABASE = {"schema", "datamodel", "rules", "template"}


def _env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MUE_SECRET_KEY")}
    return {**env, "MUE_VAR_DIR": str(var_dir), "MUE_LANGUAGE": "en", "PYTHONPATH": str(ROOT), "COLUMNS": "200"}


def test_the_data_directory_does_not_depend_on_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("MUE_VAR_DIR", raising=False)
    (tmp_path / "var").mkdir()
    monkeypatch.chdir(tmp_path)
    # A source checkout (this one) keeps its data in its own var/, wherever the command runs.
    assert mue_settings.data_dir() == ROOT / "var"
    monkeypatch.setenv("MUE_VAR_DIR", str(tmp_path / "elsewhere"))
    assert mue_settings.data_dir() == tmp_path / "elsewhere"


def test_an_installed_package_uses_the_user_data_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("MUE_VAR_DIR", raising=False)
    monkeypatch.setattr(mue_settings, "PACKAGE_DIR", tmp_path / "site-packages" / "mue")
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert mue_settings.data_dir() == tmp_path / "share" / "mue"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert mue_settings.data_dir() == Path.home() / ".local" / "share" / "mue"


def test_every_command_on_a_database_never_set_up_says_in_one_line_what_to_run(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "cli" / "unmigrated_run.py"), str(tmp_path)],
                          env=_env(tmp_path / "var"), capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert {"init", "import", "audit", "impact", "discover", "member add", "serve"} <= set(results)
    for path, result in results.items():
        assert result["exception"] is None, (path, result)
        assert "Traceback" not in result["output"], (path, result["output"])
        if path in WITHOUT_DATABASE:
            assert result["exit"] == 0, (path, result["output"])
        elif result["sampled"]:
            assert result["exit"] == ExitCode.NOT_READY, (path, result["output"])
            lines = [line for line in result["output"].splitlines() if line.strip()]
            assert lines == [lines[0]] and "run `mue setup --no-demo`" in lines[0], (path, result["output"])
        else:  # a command added since: placeholder arguments, still no traceback
            assert result["exit"] in (ExitCode.USAGE, ExitCode.NOT_FOUND, ExitCode.NOT_READY), (path, result)
    assert not (tmp_path / "var" / "mue.sqlite3").exists()  # checking created no empty database


def test_a_fresh_install_sets_up_then_creates_a_workspace_wherever_it_runs(tmp_path):
    data, elsewhere = tmp_path / "data", tmp_path / "somewhere"
    (elsewhere / "var").mkdir(parents=True)  # a var/ in the current directory must not be used

    def mue(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "mue.cli.main", *args], env=_env(data), cwd=elsewhere,
                              capture_output=True, text=True, timeout=300)

    first = mue("init", "acme", "--name", "Acme")
    assert first.returncode == ExitCode.NOT_READY and "Traceback" not in first.stderr
    assert first.stderr.count("\n") == 1 and "mue setup --no-demo" in first.stderr
    setup = mue("setup", "--no-demo")
    assert setup.returncode == 0, setup.stderr
    assert f"Data directory: {data}" in setup.stdout and "Administrator: admin" in setup.stdout
    assert "Demo" not in setup.stdout
    created = mue("init", "acme", "--name", "Acme")
    assert created.returncode == 0, created.stderr
    listed = mue("workspaces", "--json")
    assert [ws["slug"] for ws in json.loads(listed.stdout)] == ["acme"]
    assert list((elsewhere / "var").iterdir()) == [] and (data / "mue.sqlite3").exists()


def test_an_older_database_is_named_with_the_command_that_updates_it(db, monkeypatch):
    from mue.cli import app as cli_app
    from mue.cli import database

    monkeypatch.setattr(database, "database_state",
                        lambda: database.DatabaseState("var/mue.sqlite3", reachable=True, applied=40, pending=3))
    cli_app.forget_database_check()
    try:
        result = CliRunner().invoke(app, ["workspaces"])
    finally:
        cli_app.forget_database_check()
    assert result.exit_code == ExitCode.NOT_READY
    assert "earlier version of Mue (3 changes to apply)" in result.output and "mue setup --no-demo" in result.output


@pytest.mark.parametrize("args, code", [
    (["import", "{dir}"], ExitCode.USAGE),
    (["import", "{dir}/missing.yaml"], ExitCode.NOT_FOUND),
    (["import", "{dir}/map.yaml", "--mapping", "{dir}/missing.yaml"], ExitCode.NOT_FOUND),
    (["discover", "-w", "test-ws", "{dir}/missing.log"], ExitCode.NOT_FOUND),
    (["discover", "-w", "test-ws", "{dir}"], ExitCode.USAGE),
    (["export", "-w", "test-ws", "-o", "{dir}/no/such/dir/x.yaml"], ExitCode.NOT_FOUND),
    (["export", "-w", "test-ws", "-o", "{dir}"], ExitCode.USAGE),
    (["export"], ExitCode.USAGE),  # a required option missing
    (["init", "x"], ExitCode.USAGE),
    (["audit-waive", "-w", "test-ws", "DOC-004"], ExitCode.USAGE),
    (["member", "add", "-w", "test-ws", "nobody"], ExitCode.USAGE),
    (["impact", "x", "-w", "nowhere"], ExitCode.NOT_FOUND),
    (["audit", "-w", "nowhere"], ExitCode.NOT_FOUND),
    (["schema", "-o", "{dir}/no/such/dir/schema.json"], ExitCode.NOT_FOUND),
])
def test_exit_codes_match_the_readme(workspace, tmp_path, args, code):
    (tmp_path / "map.yaml").write_text("workspace: {slug: test-ws, name: T}\n", encoding="utf-8")
    result = CliRunner().invoke(app, [a.format(dir=tmp_path) for a in args])
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


def test_the_workspace_as_first_argument_still_works_with_a_deprecation_note(workspace):
    result = CliRunner().invoke(app, ["audit-runs", "test-ws"])
    assert result.exit_code == 0, result.output
    assert "`mue audit-runs test-ws` is deprecated" in result.output and "-w test-ws" in result.output
    waiver = CliRunner().invoke(app, ["audit-answer", "test-ws", "CON-Q01", "yes", "--by", "me"])
    assert waiver.exit_code == 0, waiver.output
    assert "deprecated" in waiver.output
    assert "deprecated" not in CliRunner().invoke(app, ["audit-runs", "-w", "test-ws"]).output


def test_every_command_working_in_a_workspace_names_it_with_w():
    from typer.main import get_command

    from mue.cli.group import TyperArgument, TyperGroup

    def leaves(group, prefix=()):
        for name, command in group.commands.items():
            if isinstance(command, TyperGroup):
                yield from leaves(command, (*prefix, name))
            else:
                yield " ".join((*prefix, name)), command

    for path, command in leaves(get_command(app)):
        arguments = [p.name for p in command.params if isinstance(p, TyperArgument)]
        assert "workspace" not in arguments, path
        options = {opt for p in command.params for opt in getattr(p, "opts", ())}
        if "--workspace" in options:
            assert "-w" in options, path


def test_audit_tables_wrap_evidence_values_instead_of_cutting_them(db):
    from mue.interchange.importer import import_document

    long_slug = "logiciel-de-gestion-des-autorisations-d-urbanisme-et-du-cadastre-numerique"
    import_document({"workspace": {"slug": "narrow", "name": "N"},
                     "applications": [{"slug": long_slug, "name": "A", "kind": "saas", "status": "approved"}]},
                    source="t.yaml")
    result = CliRunner().invoke(app, ["audit", "-w", "narrow", "--no-store"], terminal_width=80)
    assert result.exit_code == 0, result.output
    assert "…" not in result.output
    # The object column (the third) read down the findings table: the slug is there whole, folded.
    table = result.output.split("Top findings", 1)[1]
    column = "".join(line.split("│")[3].strip() for line in table.splitlines() if line.count("│") >= 6)
    assert f"application:{long_slug}" in column
