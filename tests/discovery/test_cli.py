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
    assert "10 read = 6 matched + 2 unknown + 0 ignored + 2 malformed" in " ".join(result.output.split())
    report = json.loads(out.read_text())
    summary = report["summary"]
    assert summary["lines"] == 10 and summary["malformed"] == 2 and summary["services"] == 3
    assert summary["seconds"] >= summary["read_seconds"] > 0
    assert DiscoveryRun.objects.get(id=report["run"]).report["shadow_services"] == 3
    # The same content as the tables: every service with its figures and register status, every unknown domain,
    # the accounting in total and per file.
    slack = next(r for r in report["applications"] if r["service"] == "slack")
    assert (slack["users"], slack["requests"], slack["bytes"], slack["register"]) == (2, 4, 3800, "shadow")
    assert slack["category"] == "messaging-chat" and slack["risk"] is not None and slack["vendor"]
    assert {r["service"] for r in report["applications"]} == {"slack", "dropbox", "microsoft-teams"}
    assert report["unknown_domains"] == [{"domain": "example.net", "requests": 2, "users": 1}]
    assert report["accounting"] == {"lines": 10, "matched": 6, "unknown": 2, "ignored": {}, "malformed": 2,
                                    "unaccounted": 0}
    assert report["files"][0]["accounting"]["matched"] == 6


def test_discover_tables_say_what_they_do_not_show(cli_db, tmp_path):
    log = tmp_path / "many.log"
    # 45 distinct unknown domains: the table shows --top of them and counts the rest.
    log.write_text("".join(f"1700000000.000 5 192.0.2.10 TCP_TUNNEL/200 10 CONNECT www.site{i}-mairie.fr:443 "
                           f"u{i} HIER_DIRECT/203.0.113.5 -\n" for i in range(45)))
    result = runner.invoke(app, ["discover", str(log), "--workspace", "test-ws", "--top", "10"])
    assert result.exit_code == 0, result.output
    assert "35 more rows not shown" in " ".join(result.output.split())
    assert "site9-mairie.fr" not in result.output or "site44-mairie.fr" not in result.output
    result = runner.invoke(app, ["discover", str(log), "--workspace", "test-ws", "--all"])
    assert result.exit_code == 0, result.output
    assert "not shown" not in result.output
    assert all(f"site{i}-mairie.fr" in result.output for i in range(45))


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
    assert runner.invoke(app, ["discover", "--workspace", "test-ws", "--link", "dropbox"]).exit_code == 2
    assert runner.invoke(app, ["discover", "--workspace", "test-ws", "--link", "dropbox=nope"]).exit_code == 4


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


def test_internal_domains_are_ignored_and_recorded(cli_db, tmp_path):
    from mue.discovery.models import DiscoverySettings

    log = tmp_path / "internal.log"
    log.write_text("1700000000.000 5 192.0.2.10 TCP_TUNNEL/200 10 CONNECT intranet.mairie-valmont.fr:443 a H/- -\n"
                   "1700000001.000 5 192.0.2.10 TCP_TUNNEL/200 10 CONNECT app.slack.com:443 a H/- -\n")
    result = runner.invoke(app, ["discover", str(log), "--workspace", "test-ws",
                                 "--internal-domain", "mairie-valmont.fr"])
    assert result.exit_code == 0, result.output
    assert "internal domain of the organization: 1" in result.output
    assert DiscoverySettings.objects.get(workspace=cli_db).internal_domains == ["mairie-valmont.fr"]
    result = runner.invoke(app, ["discover", str(log), "--workspace", "test-ws"])  # remembered
    assert "internal domain of the organization: 1" in result.output


def test_workspace_entries_may_say_what_is_not_an_application(cli_db, tmp_path):
    from mue.discovery.catalogue import for_workspace

    entries = tmp_path / "ours.yaml"
    entries.write_text("- {id: our-cdn, name: Our CDN, vendor: Us, country: FR, category: other, kind: cdn, "
                       "domains: [cdn.example.fr]}\n")
    assert runner.invoke(app, ["catalogue", "-w", "test-ws", "--import", str(entries)]).exit_code == 0
    assert for_workspace(cli_db.id).get("our-cdn").kind == "cdn"
    entries.write_text("- {id: x, name: X, vendor: Y, country: FR, category: other, kind: nope, domains: [x.fr]}\n")
    assert runner.invoke(app, ["catalogue", "-w", "test-ws", "--import", str(entries)]).exit_code == 3
