"""The commands, run as a person would: mue export --format archimate, mue import model.xml, --from mercator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mue.cli.main import app
from mue.interchange.archimate.writer import validate

pytestmark = pytest.mark.django_db
runner = CliRunner()
FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_export_archimate_then_import_it_back(tmp_path):
    from mue.demo import load_demo

    load_demo("atelier")
    out = tmp_path / "atelier.xml"
    result = runner.invoke(app, ["export", "-w", "atelier", "-o", str(out)])  # the format from the file name
    assert result.exit_code == 0, result.output
    assert validate(out.read_bytes()) == []
    piped = runner.invoke(app, ["export", "-w", "atelier", "--format", "archimate"])
    assert piped.stdout_bytes.startswith(b"<?xml") and b"opengroup" in piped.stdout_bytes[:400]
    imported = runner.invoke(app, ["import", str(out), "-w", "atelier-copy"])
    assert imported.exit_code == 0, imported.output
    assert "atelier-copy: " in imported.output and " created" in imported.output
    again = runner.invoke(app, ["import", str(out), "-w", "atelier-copy", "--json"])
    report = json.loads(again.stdout)[0]
    assert report["ok"] and not report["created"] and not report["updated"]
    assert runner.invoke(app, ["export", "-w", "atelier", "--format", "visio"]).exit_code == 2


def test_import_the_sample_model_lists_what_was_not_imported():
    result = runner.invoke(app, ["import", str(FIXTURES / "archimate" / "bendpoint.test.xml"), "-w", "bend"])
    assert result.exit_code == 0, result.output
    assert "not imported: 1 BusinessFunction" in result.output


def test_import_from_mercator(tmp_path):
    dump = FIXTURES / "mercator" / "mercator_data_en.sql"
    result = runner.invoke(app, ["import", "--from", "mercator", str(dump), "-w", "hopital", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)[0]
    assert report["created"]["applications"] == 19
    assert any(note.startswith("left out: ") for note in report["notes"])
    # a .sql file without saying where it comes from, or from an unknown tool: refused, nothing written
    refused = runner.invoke(app, ["import", str(dump), "-w", "other"])
    assert refused.exit_code == 3 and "--from mercator" in refused.output
    unknown = runner.invoke(app, ["import", "--from", "visio", str(dump), "-w", "other"])
    assert unknown.exit_code == 3 and "unknown origin 'visio'" in unknown.output
    from mue.core.models import Workspace

    assert not Workspace.objects.filter(slug="other").exists()
