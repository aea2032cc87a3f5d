"""``mue skills -w W``: the heat map as a table, the bus factors; errors name what is wrong."""

import json

import pytest
from typer.testing import CliRunner

from mue.cli.app import ExitCode
from mue.cli.main import app

pytestmark = pytest.mark.django_db
runner = CliRunner()


@pytest.fixture
def valmont(db):
    from mue.demo import load_demo

    load_demo("valmont")


def test_tables(valmont):
    result = runner.invoke(app, ["skills", "-w", "valmont"], env={"COLUMNS": "220"})
    assert result.exit_code == 0, result.output
    assert "Médiath" in result.output and "Safety" in result.output  # columns fold at 80 characters
    assert "sauvegarde" in result.output and "thomas-garnier" in result.output


def test_json(valmont):
    result = runner.invoke(app, ["skills", "-w", "valmont", "--json"])
    data = json.loads(result.output)
    media = next(row for row in data["heat_map"] if row["slug"] == "mediatheque")
    assert media["levels"]["4"] == 2.8 and media["levels"]["5"] is None and media["people"] == 2
    ones = {row["service"]: row["people"] for row in data["bus_factors"] if row["bus_factor"] == 1}
    assert ones == {"sauvegarde": ["thomas-garnier"], "cantine-periscolaire": ["lucas-bertin"]}


def test_one_unit_and_errors(valmont):
    result = runner.invoke(app, ["skills", "-w", "valmont", "--unit", "dsi", "--json"])
    assert [row["slug"] for row in json.loads(result.output)["heat_map"]] == ["julien-moreau", "thomas-garnier"]
    missing = runner.invoke(app, ["skills", "-w", "valmont", "--unit", "nowhere"])
    assert missing.exit_code == ExitCode.NOT_FOUND and "nowhere" in missing.output
    assert runner.invoke(app, ["skills", "-w", "nope"]).exit_code == ExitCode.NOT_FOUND


def test_empty_workspace(db):
    from mue.core.models import Workspace

    Workspace.objects.create(slug="empty", name="Empty")
    result = runner.invoke(app, ["skills", "-w", "empty"])
    assert result.exit_code == 0 and "No skill assessment yet" in result.output
