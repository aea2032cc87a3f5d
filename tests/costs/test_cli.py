"""``mue costs``, run as a person would."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from mue.cli.main import app

pytestmark = pytest.mark.django_db
runner = CliRunner()
WIDE = {"COLUMNS": "200"}


def test_costs_by_service_table(town):
    result = runner.invoke(app, ["costs", "-w", "bourg", "--year", "2026"], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "Cost 2026 by service (EUR)" in result.output
    assert "Postes de travail (postes)" in result.output and "9,000" in result.output
    assert "(not attributed to a service)" in result.output
    assert "Total 2026: 22,000 EUR (+2100.0 %)" in result.output
    assert "Per inhabitant: 11.00 EUR (2000 inhabitants)" in result.output
    assert "Duplicated tools in Video conferencing: Portail, Visio A" in result.output


def test_costs_by_unit_vendor_and_application(observed):
    unit = runner.invoke(app, ["costs", "-w", "bourg", "--by", "unit", "--year", "2026"], env=WIDE).output
    assert "Paid by the unit" in unit and "Enfance (enfance)" in unit and "8,200" in unit and "20,000" in unit
    vendor = runner.invoke(app, ["costs", "-w", "bourg", "--by", "vendor", "--year", "2026"], env=WIDE).output
    assert "Cloud (cloud)" in vendor and "(no vendor known)" in vendor
    app_out = runner.invoke(app, ["costs", "-w", "bourg", "--by", "application", "--year", "2026"], env=WIDE).output
    assert "Suite bureautique (suite)" in app_out and "300.00" in app_out
    assert "Licences paid for nobody in Suite bureautique: 30 of 50 seats unused" in app_out


def test_costs_json(observed):
    result = runner.invoke(app, ["costs", "-w", "bourg", "--year", "2026", "--json"])
    data = json.loads(result.stdout)
    assert data["workspace"] == "bourg" and data["total"] == 22000.0 and data["per_inhabitant"] == 11.0
    assert data["trend"] == [{"year": 2025, "total": 1000.0}, {"year": 2026, "total": 22000.0}]
    assert {r["slug"]: r["amount"] for r in data["by_unit"]} == {"enfance": 8200.0, "dsi": 7000.0, "dgs": 6000.0,
                                                                  None: 800.0}
    assert data["licence_waste"] == [{"application": "suite", "name": "Suite bureautique", "seats": 50,
                                      "active_users": 20, "unit_price": 120.0, "amount": 3600.0}]
    assert data["duplicates"][0]["total"] == 1200.0


def test_costs_of_an_empty_workspace_and_bad_input(db):
    from mue.core.models import Workspace

    Workspace.objects.create(slug="vide", name="Vide")
    result = runner.invoke(app, ["costs", "-w", "vide"])
    assert result.exit_code == 0 and "No cost line in vide yet" in result.output
    assert runner.invoke(app, ["costs", "-w", "nowhere"]).exit_code != 0
    bad = runner.invoke(app, ["costs", "-w", "vide", "--by", "colour"])
    assert bad.exit_code == 2 and "colour" in bad.output
