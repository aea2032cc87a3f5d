"""The graph commands, run as a person would: mue impact, lineage, spof and graph."""

import json
import xml.etree.ElementTree as ET

from typer.testing import CliRunner

from mue.cli.main import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_impact_table_and_json(town):
    result = run("impact", "hv1", "--workspace", "ville")
    assert result.exit_code == 0, result.output
    assert "asset:hv1" in result.output and "cantine" in result.output
    assert "Worst criticality: 3 (cantine)" in result.output
    assert "Shortest RTO: 8 h (stats)" in result.output
    data = json.loads(run("impact", "asset:hv1", "-w", "ville", "--json", "--no-data").stdout)
    assert data["shortest_rto"]["service"] == "cantine"
    assert {item["slug"] for item in data["reached"]} == {"vm-cantine", "cantine-app", "cantine", "inscription",
                                                         "enfance"}


def test_impact_reverse_and_type(town):
    data = json.loads(run("impact", "compta", "-w", "ville", "--type", "application", "--reverse", "--json").stdout)
    assert data["direction"] == "dependencies"
    # its asset, its data source and what that source runs on
    assert {item["slug"] for item in data["reached"]} == {"srv-a", "paie-app", "srv-b"}


def test_impact_errors(town):
    ambiguous = run("impact", "compta", "-w", "ville")
    assert ambiguous.exit_code == 2
    assert "unit:compta" in ambiguous.output and "application:compta" in ambiguous.output
    assert run("impact", "missing", "-w", "ville").exit_code == 4
    assert run("impact", "hv1", "-w", "nowhere").exit_code == 4


def test_lineage(town):
    result = run("lineage", "familles", "-w", "ville")
    assert result.exit_code == 0, result.output
    assert "analytics" in result.output and "conditional" in result.output
    data = json.loads(run("lineage", "familles", "-w", "ville", "--json").stdout)
    assert [e["object"] for e in data["exits"]] == ["application:analytics"]
    assert run("lineage", "nope", "-w", "ville").exit_code == 4


def test_spof(town):
    result = run("spof", "-w", "ville")
    assert result.exit_code == 0, result.output
    assert "paie-app" in result.output and "srv-a" not in result.output
    data = json.loads(run("spof", "-w", "ville", "--json").stdout)
    assert data["single_points_of_failure"][0]["worst_criticality"] == 4
    loose = json.loads(run("spof", "-w", "ville", "--json", "--min-criticality", "1").stdout)
    assert "analytics" in {p["slug"] for p in loose["single_points_of_failure"]}


def test_graph_exports(town, tmp_path):
    html, svg = tmp_path / "g.html", tmp_path / "g.svg"
    result = run("graph", "-w", "ville", "--html", str(html), "--svg", str(svg), "--focus", "service:cantine")
    assert result.exit_code == 0, result.output
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    root = ET.parse(svg).getroot()
    keys = {el.get("data-key") for el in root.iter("{http://www.w3.org/2000/svg}g") if el.get("data-key")}
    assert "asset:hv1" in keys and "service:stats" not in keys  # the service's dependency view
    assert run("graph", "-w", "ville").exit_code == 2
    assert run("graph", "-w", "ville", "--svg", str(svg), "--view", "sideways").exit_code == 2
