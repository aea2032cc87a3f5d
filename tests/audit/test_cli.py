"""The audit commands: mue rules, audit (JSON, --fail-on, --compare), audit-runs, audit-waive, audit-answer."""

import json
from pathlib import Path

from typer.testing import CliRunner

from mue.audit.catalogue_doc import render_markdown
from mue.audit.models import AuditRun, QuestionnaireAnswer, Waiver
from mue.cli.app import ExitCode
from mue.cli.main import app
from tests.audit.helpers import PEOPLE, load

runner = CliRunner()
DOCS_RULES = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_rules_lists_the_catalogue(db):
    result = invoke("rules", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"DOC-001", "CON-Q01", "SKL-001"} <= {r["id"] for r in data}
    skills = next(r for r in data if r["id"] == "SKL-001")
    assert skills["needs"] and skills["kind"] == "observed"
    table = invoke("rules", "--domain", "contracts")
    assert table.exit_code == 0 and "CTR-001" in table.output and "DOC-001" not in table.output


def test_docs_rules_md_is_up_to_date():
    """docs/rules.md is generated: regenerate it with `mue rules --markdown docs/rules.md`."""
    assert DOCS_RULES.read_text(encoding="utf-8") == render_markdown("en")


DOC = {"people": PEOPLE,
       "applications": [{"slug": "a", "name": "A", "kind": "saas", "owner": "alice"},
                        {"slug": "b", "name": "B", "kind": "saas"}],
       "services": [{"slug": "s", "name": "S", "criticality": 4, "business_owner": "alice", "backup_owner": "bob",
                     "applications": ["a"]}]}


def test_audit_prints_summary_writes_json_and_fails_on_severity(db, tmp_path):
    ws = load(DOC, slug="cli-ws")
    out = tmp_path / "audit.json"
    result = invoke("audit", ws.slug, "--as-of", "2026-03-01", "--json", str(out))
    assert result.exit_code == 0, result.output
    assert "Maturity" in result.output and "DOC-001" in result.output
    data = json.loads(out.read_text())
    assert data["as_of"] == "2026-03-01" and data["run"] == AuditRun.objects.get().pk
    assert {f["rule_id"] for f in data["findings"]} >= {"DOC-001", "DOC-003"}
    assert invoke("audit", ws.slug, "--fail-on", "high", "--no-store").exit_code == ExitCode.FAILURE
    assert invoke("audit", ws.slug, "--fail-on", "critical", "--no-store").exit_code == 0
    assert invoke("audit", ws.slug, "--fail-on", "worst").exit_code == ExitCode.USAGE
    assert invoke("audit", "nope").exit_code == ExitCode.NOT_FOUND
    assert AuditRun.objects.count() == 1  # --no-store kept nothing


def test_audit_compare_waive_answer_and_history(db, tmp_path):
    ws = load(DOC, slug="cli-ws")
    assert invoke("audit", ws.slug, "--as-of", "2026-03-01").exit_code == 0
    first = AuditRun.objects.get()
    result = invoke("audit-waive", ws.slug, "DOC-003", "application:b", "-j", "Retired in June",
                    "--approver", "DGS", "--expires", "2099-06-30")
    assert result.exit_code == 0, result.output
    assert Waiver.objects.get().object_slug == "b"
    assert invoke("audit-waive", ws.slug, "DOC-003", "b", "-j", "x", "--approver", "y",
                  "--expires", "2099-01-01").exit_code == ExitCode.INVALID_INPUT
    waiver = Waiver.objects.get()
    assert invoke("audit-revoke", "-w", ws.slug, "999").exit_code == ExitCode.NOT_FOUND
    result = invoke("audit-revoke", "-w", ws.slug, str(waiver.pk))
    assert result.exit_code == 0 and "open finding again" in result.output, result.output
    assert invoke("audit-revoke", "-w", ws.slug, str(waiver.pk)).exit_code == ExitCode.INVALID_INPUT
    waiver.revoked = None  # in force again for what follows
    waiver.save()
    result = invoke("audit-answer", ws.slug, "CON-Q01", "yes", "--by", "DSI", "--on", "2026-02-01")
    assert result.exit_code == 0, result.output
    assert QuestionnaireAnswer.objects.get().answer == "yes"
    assert invoke("audit-answer", ws.slug, "CON-Q01", "maybe", "--by", "DSI").exit_code == ExitCode.INVALID_INPUT
    out = tmp_path / "second.json"
    result = invoke("audit", ws.slug, "--as-of", "2026-03-01", "--compare", str(first.pk), "--json", str(out))
    assert result.exit_code == 0, result.output
    assert "Compared with run" in result.output
    comparison = json.loads(out.read_text())["comparison"]
    assert [f["object_slug"] for f in comparison["newly_waived"]] == ["b"]
    assert comparison["before"] == first.pk
    history = invoke("audit-runs", ws.slug)
    assert history.exit_code == 0 and str(first.pk) in history.output
    assert invoke("audit", ws.slug, "--compare", "99999").exit_code == ExitCode.NOT_FOUND
