"""``mue discover`` and ``mue catalogue`` through typer's test runner."""

import json

import pytest
from typer.testing import CliRunner

from mue.applications.models import Application
from mue.cli.main import app
from mue.discovery.models import CatalogueEntry, DiscoveryRun

runner = CliRunner()


@pytest.fixture
def cli_db(workspace, transactional_db):
    return workspace


def test_discover_prints_report_and_writes_json(cli_db, logs, tmp_path):
    out = tmp_path / "report.json"
    result = runner.invoke(app, ["discover", str(logs / "squid_small.log"), "--workspace", "test-ws",
                                 "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "dropbox" in result.output and "example.net" in result.output
    report = json.loads(out.read_text())
    assert report["lines"] == 10 and report["malformed"] == 2 and report["services"] == 3
    assert DiscoveryRun.objects.get(id=report["run"]).report["shadow_services"] == 3


def test_discover_add_shadow(cli_db, logs):
    result = runner.invoke(app, ["discover", "--workspace", "test-ws", "--add-shadow", "dropbox"])
    assert result.exit_code == 0, result.output
    assert Application.objects.get(slug="dropbox").status == "shadow"
    result = runner.invoke(app, ["discover", "--workspace", "test-ws", "--add-shadow", "no-such-service"])
    assert result.exit_code == 4


def test_discover_errors(cli_db, logs, tmp_path):
    assert runner.invoke(app, ["discover", str(logs / "squid_small.log"), "--workspace", "nope"]).exit_code == 4
    odd = tmp_path / "odd.txt"
    odd.write_text("12345\n")
    assert runner.invoke(app, ["discover", str(odd), "--workspace", "test-ws"]).exit_code == 3


def test_catalogue_search_and_import(cli_db, tmp_path):
    result = runner.invoke(app, ["catalogue", "--search", "yousign"])
    assert result.exit_code == 0 and "Yousign" in result.output
    entries = tmp_path / "mine.yaml"
    entries.write_text("- {id: notre-erp, name: Notre ERP, vendor: Nous, country: FR, category: erp, "
                       "domains: [erp.example.fr]}\n")
    result = runner.invoke(app, ["catalogue", "--workspace", "test-ws", "--import", str(entries), "--search", "notre"])
    assert result.exit_code == 0, result.output
    assert "Notre ERP" in result.output
    assert CatalogueEntry.objects.get(service_id="notre-erp").domains == ["erp.example.fr"]
    entries.write_text("- {id: x, name: X, vendor: Y, country: FR, category: nope, domains: [x.example]}\n")
    assert runner.invoke(app, ["catalogue", "--workspace", "test-ws", "--import", str(entries)]).exit_code == 3


def test_discover_report_speaks_french(cli_db, logs, compiled, monkeypatch):
    """Malformed lines' reasons are stored as English keys and shown in the user's language."""
    from django.utils import translation

    monkeypatch.setenv("MUE_LANGUAGE", "fr")
    with translation.override("fr"):
        result = runner.invoke(app, ["discover", str(logs / "squid_small.log"), "--workspace", "test-ws"])
    assert result.exit_code == 0, result.output
    assert "ce n'est pas une ligne au format natif de Squid" in result.output
    reasons = {s["reason"] for s in DiscoveryRun.objects.latest("id").report["malformed_samples"]}
    assert reasons == {"not a Squid native line"}
