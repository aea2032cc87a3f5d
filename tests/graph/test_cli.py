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
    assert "Shortest RTO: 24 h (cantine)" in result.output  # stats only loses a data feed: it does not stop
    assert ("Stops (hard dependencies): 1 organization unit, 1 business process, 1 digital service, 1 application, "
            "1 infrastructure asset") in result.output
    assert "Loses a data feed (data flows; keeps running): 1 application" in result.output
    data = json.loads(run("impact", "asset:hv1", "-w", "ville", "--json", "--no-data").stdout)
    assert data["shortest_rto"]["service"] == "cantine"
    assert {item["slug"] for item in data["reached"]} == {"vm-cantine", "cantine-app", "cantine", "inscription",
                                                         "enfance"}


def test_impact_reverse_and_type(town):
    data = json.loads(run("impact", "compta", "-w", "ville", "--type", "application", "--reverse", "--json").stdout)
    assert data["direction"] == "dependencies"
    # its asset, and apart its data source (not what that source runs on: compta does not rest on it)
    assert {item["slug"]: item["effect"] for item in data["reached"]} == {"srv-a": "rests-on",
                                                                         "paie-app": "data-source"}


def test_a_large_impact_prints_a_summary_and_the_first_rows(db):
    from tests.graph.conftest import load, scaled

    load(scaled(40))  # 120 applications in a chain of depends-on: app-0 stops them all
    short = run("impact", "application:app-0", "-w", "scaled-40")
    assert short.exit_code == 0, short.output
    stopped_rows = [line for line in short.output.splitlines() if "│ application │" in line]
    assert "Stops (hard dependencies): " in short.output and "119 applications" in short.output
    assert len(stopped_rows) <= 2 * 20 and "more not shown: --all" in short.output
    full = run("impact", "application:app-0", "-w", "scaled-40", "--all")
    assert "more not shown" not in full.output
    assert sum("│ application │" in line for line in full.output.splitlines()) > len(stopped_rows)
    data = json.loads(run("impact", "application:app-0", "-w", "scaled-40", "--json").stdout)
    assert data["counts_by_effect"]["stops"]["application"] == 119


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
