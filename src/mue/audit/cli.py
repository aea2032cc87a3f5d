"""Audit commands: ``mue rules``, ``mue audit``, ``mue audit-runs``, ``mue audit-waive``, ``mue audit-answer``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer
from rich.table import Table

from mue.cli.app import ExitCode, app, console, fail, setup_django

SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option}: '{value}' is not a date (YYYY-MM-DD)", ExitCode.USAGE) from None


def _workspace(slug: str):
    from mue.core.models import Workspace

    try:
        return Workspace.objects.get(slug=slug)
    except Workspace.DoesNotExist:
        raise fail(f"workspace '{slug}' does not exist", ExitCode.NOT_FOUND) from None


@app.command()
def rules(
    as_json: bool = typer.Option(False, "--json", help="Print the catalogue as JSON."),
    markdown: Path | None = typer.Option(None, "--markdown", help="Write the catalogue as Markdown (docs/rules.md)."),
    domain: str | None = typer.Option(None, help="Only the rules of this domain."),
    lang: str = typer.Option("en", "--lang", help="Language of titles and texts: en or fr."),
) -> None:
    """List the audit rules and questionnaire items."""
    setup_django()
    from django.utils import translation

    from mue.audit.catalogue_doc import render_markdown
    from mue.audit.rules import catalogue

    if markdown is not None:
        markdown.write_text(render_markdown(lang), encoding="utf-8")
        console.print(f"Wrote {markdown}.")
        return
    with translation.override(lang):
        items = [r for r in catalogue() if domain is None or r.domain == domain]
        if as_json:
            data = [{"id": r.id, "domain": r.domain, "severity": r.severity, "kind": r.kind,
                     "object_type": r.object_type, "title": str(r.title), "rationale": str(r.rationale),
                     "remediation": str(r.remediation), "needs": r.needs} for r in items]
            typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        table = Table("id", "severity", "kind", "covers", "title", title=f"{len(items)} rules")
        for r in items:
            table.add_row(r.id, f"[{SEVERITY_STYLE[r.severity]}]{r.severity}[/]", r.kind, r.object_type, str(r.title))
        console.print(table)


@app.command()
def audit(
    workspace: str = typer.Argument(..., help="Slug of the workspace to audit."),
    as_of: str | None = typer.Option(None, "--as-of", help="Judge date-based rules at this date (default today)."),
    json_file: Path | None = typer.Option(None, "--json", help="Write the full result (rules, findings) as JSON."),
    fail_on: str | None = typer.Option(None, "--fail-on",
                                       help="Exit with code 1 when open findings at or above this severity exist."),
    compare_to: int | None = typer.Option(None, "--compare", help="Compare with this earlier run (its id)."),
    rule: list[str] = typer.Option(None, "--rule", help="Only these rules (repeatable)."),
    store: bool = typer.Option(True, "--store/--no-store", help="Keep the run as a snapshot (default)."),
    top: int = typer.Option(15, help="How many findings to show."),
) -> None:
    """Audit a workspace: score per domain, top findings; stores the run for later comparison."""
    setup_django()
    from mue.audit.choices import SEVERITY_ORDER, severity_at_least
    from mue.audit.engine import run_audit
    from mue.audit.models import AuditRun
    from mue.audit.report import print_comparison, print_summary
    from mue.audit.store import compare, load_run

    if fail_on is not None and fail_on not in SEVERITY_ORDER:
        raise fail(f"--fail-on: one of {', '.join(SEVERITY_ORDER)}", ExitCode.USAGE)
    ws = _workspace(workspace)
    earlier = None
    if compare_to is not None:
        earlier = AuditRun.objects.select_related("workspace").filter(pk=compare_to, workspace=ws).first()
        if earlier is None:
            raise fail(f"run {compare_to} of workspace '{workspace}' does not exist", ExitCode.NOT_FOUND)
    result = run_audit(ws, _date(as_of, "--as-of"), rule_ids=rule or None, store=store, actor="cli")
    print_summary(console, result, top=top)
    comparison = None
    if earlier is not None:
        comparison = compare(load_run(earlier), result)
        print_comparison(console, comparison)
    if json_file is not None:
        data = result.as_json()
        if comparison is not None:
            data["comparison"] = comparison.as_json()
        json_file.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        console.print(f"Wrote {json_file}.")
    if fail_on is not None:
        worst = severity_at_least(fail_on)
        if any(f.severity in worst for f in result.open_findings()):
            raise typer.Exit(int(ExitCode.FAILURE))


@app.command("audit-runs")
def audit_runs(workspace: str = typer.Argument(..., help="Slug of the workspace.")) -> None:
    """The stored audit runs of a workspace, newest first (ids for --compare)."""
    setup_django()
    from mue.audit.models import AuditRun

    ws = _workspace(workspace)
    table = Table("run", "as of", "started", "score", "open", "waived", "by")
    for run in AuditRun.objects.filter(workspace=ws).only("id", "as_of", "started", "score", "summary",
                                                          "actor_name")[:100]:
        table.add_row(str(run.pk), str(run.as_of), f"{run.started:%Y-%m-%d %H:%M}",
                      "-" if run.score is None else f"{run.score:.1f}", str(run.summary.get("open", "")),
                      str(run.summary.get("waived", "")), run.actor_name)
    console.print(table)


@app.command("audit-waive")
def audit_waive(
    workspace: str = typer.Argument(..., help="Slug of the workspace."),
    rule_id: str = typer.Argument(..., help="Rule id, e.g. DOC-004."),
    target: str = typer.Argument(..., help="The object as TYPE:SLUG, e.g. service:cantine."),
    justification: str = typer.Option(..., "--justification", "-j", help="Why the risk is accepted."),
    approver: str = typer.Option(..., "--approver", help="Who accepts the risk."),
    expires: str = typer.Option(..., "--expires", help="Until when (YYYY-MM-DD); the finding opens again after."),
) -> None:
    """Accept the risk of a finding until a date (a waiver)."""
    setup_django()
    from mue.audit.waivers import WaiverError, add_waiver

    ws = _workspace(workspace)
    try:
        waiver = add_waiver(ws, rule_id, target, justification=justification, approver=approver,
                            expires=_date(expires, "--expires"), recorded_by="cli")
    except WaiverError as exc:
        raise fail(str(exc), ExitCode.INVALID_INPUT) from None
    console.print(f"Waiver {waiver.pk}: {waiver.rule_id} on {waiver.object_type}:{waiver.object_slug} "
                  f"until {waiver.expires}.")


@app.command("audit-answer")
def audit_answer(
    workspace: str = typer.Argument(..., help="Slug of the workspace."),
    question_id: str = typer.Argument(..., help="Questionnaire item, e.g. CON-Q01 (see `mue rules`)."),
    answer: str = typer.Argument(..., help="yes, partial, no or unknown."),
    by: str = typer.Option(..., "--by", help="Who answers."),
    note: str = typer.Option("", "--note", help="What the answer rests on."),
    on: str | None = typer.Option(None, "--on", help="Date of the answer (default today)."),
) -> None:
    """Answer a questionnaire item (what no data of the register can say)."""
    setup_django()
    from mue.audit.waivers import WaiverError, answer_question

    ws = _workspace(workspace)
    try:
        saved = answer_question(ws, question_id, answer, answered_by=by, note=note, answered_on=_date(on, "--on"))
    except WaiverError as exc:
        raise fail(str(exc), ExitCode.INVALID_INPUT) from None
    console.print(f"{saved.question_id}: {saved.get_answer_display()} ({saved.answered_by}, {saved.answered_on}).")
