"""Audit commands: ``mue rules``, ``mue audit``, ``mue audit-runs``, ``mue audit-waive``, ``mue audit-answer``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer
from rich.table import Table

from mue.cli.app import ExitCode, _, app, console, fail, setup_django, workspace_option, workspace_or_exit

SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}


def _date(value: str | None, option: str) -> dt.date | None:
    from django.utils.translation import gettext as _

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail(_("%(option)s: '%(value)s' is not a date (YYYY-MM-DD)") % {"option": option, "value": value},
                   ExitCode.USAGE) from None




@app.command(help=_("List the audit rules and questionnaire items."))
def rules(
    as_json: bool = typer.Option(False, "--json", help=_("Print the catalogue as JSON.")),
    markdown: Path | None = typer.Option(None, "--markdown",
                                         help=_("Write the catalogue as Markdown (docs/rules.md).")),
    domain: str | None = typer.Option(None, help=_("Only the rules of this domain.")),
    lang: str = typer.Option("en", "--lang", help=_("Language of titles and texts: en or fr.")),
) -> None:
    setup_django(database=False)
    from django.utils import translation
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from mue.audit.catalogue_doc import kind_label, object_label, render_markdown
    from mue.audit.choices import Severity
    from mue.audit.rules import catalogue

    if markdown is not None:
        markdown.write_text(render_markdown(lang), encoding="utf-8")
        console.print(_("Wrote %(path)s.") % {"path": markdown})
        return
    with translation.override(lang):
        items = [r for r in catalogue() if domain is None or r.domain == domain]
        if as_json:
            data = [{"id": r.id, "domain": r.domain, "severity": r.severity, "kind": r.kind,
                     "object_type": r.object_type, "title": str(r.title), "rationale": str(r.rationale),
                     "remediation": str(r.remediation), "needs": r.needs} for r in items]
            typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        table = Table(_("id"), _("severity"), _("kind"), _("covers"), _("title"),
                      title=ngettext("%(count)s rule", "%(count)s rules", len(items)) % {"count": len(items)})
        for r in items:
            label = Severity(r.severity).label
            table.add_row(r.id, f"[{SEVERITY_STYLE[r.severity]}]{label}[/]", kind_label(r), object_label(r),
                          str(r.title))
        console.print(table)


@app.command(help=_("Audit a workspace: score per domain, top findings; stores the run for later comparison."))
def audit(
    workspace: str = workspace_option(),
    as_of: str | None = typer.Option(None, "--as-of", help=_("Judge date-based rules at this date (default today).")),
    json_file: Path | None = typer.Option(None, "--json", help=_("Write the full result (rules, findings) as JSON.")),
    fail_on: str | None = typer.Option(None, "--fail-on",
                                       help=_("Exit with code 1 when open findings at or above this severity exist.")),
    compare_to: int | None = typer.Option(None, "--compare", help=_("Compare with this earlier run (its id).")),
    rule: list[str] = typer.Option(None, "--rule", help=_("Only these rules (repeatable).")),
    store: bool = typer.Option(True, "--store/--no-store", help=_("Keep the run as a snapshot (default).")),
    top: int = typer.Option(15, help=_("How many findings to show.")),
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.audit.choices import SEVERITY_ORDER, severity_at_least
    from mue.audit.engine import run_audit
    from mue.audit.models import AuditRun
    from mue.audit.report import print_comparison, print_summary
    from mue.audit.store import compare, load_run

    if fail_on is not None and fail_on not in SEVERITY_ORDER:
        raise fail(_("--fail-on: one of %(choices)s") % {"choices": ", ".join(SEVERITY_ORDER)}, ExitCode.USAGE)
    ws = workspace_or_exit(workspace, "audit")
    earlier = None
    if compare_to is not None:
        earlier = AuditRun.objects.select_related("workspace").filter(pk=compare_to, workspace=ws).first()
        if earlier is None:
            raise fail(_("run %(run)s of workspace '%(workspace)s' does not exist")
                       % {"run": compare_to, "workspace": workspace}, ExitCode.NOT_FOUND)
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
        console.print(_("Wrote %(path)s.") % {"path": json_file})
    if fail_on is not None:
        worst = severity_at_least(fail_on)
        if any(f.severity in worst for f in result.open_findings()):
            raise typer.Exit(int(ExitCode.FAILURE))


@app.command("audit-runs", help=_("The stored audit runs of a workspace, newest first (ids for --compare)."))
def audit_runs(workspace: str = workspace_option()) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.audit.models import AuditRun

    ws = workspace_or_exit(workspace, "audit")
    table = Table(_("run"), _("as of"), _("started"), _("score"), _("open"), _("waived"), _("by"))
    for run in AuditRun.objects.filter(workspace=ws).only("id", "as_of", "started", "score", "summary",
                                                          "actor_name")[:100]:
        table.add_row(str(run.pk), str(run.as_of), f"{run.started:%Y-%m-%d %H:%M}",
                      "-" if run.score is None else f"{run.score:.1f}", str(run.summary.get("open", "")),
                      str(run.summary.get("waived", "")), run.actor_name)
    console.print(table)


@app.command("audit-waive", help=_("Accept the risk of a finding until a date (a waiver)."))
def audit_waive(
    workspace: str = workspace_option(),
    rule_id: str = typer.Argument(..., help=_("Rule id, e.g. DOC-004.")),
    target: str = typer.Argument(..., help=_("The object as TYPE:SLUG, e.g. service:cantine.")),
    justification: str = typer.Option(..., "--justification", "-j", help=_("Why the risk is accepted.")),
    approver: str = typer.Option(..., "--approver", help=_("Who accepts the risk.")),
    expires: str = typer.Option(..., "--expires", help=_("Until when (YYYY-MM-DD); the finding opens again after.")),
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.audit.waivers import WaiverError, add_waiver

    ws = workspace_or_exit(workspace, "audit")
    try:
        waiver = add_waiver(ws, rule_id, target, justification=justification, approver=approver,
                            expires=_date(expires, "--expires"), recorded_by="cli")
    except WaiverError as exc:
        raise fail(str(exc), ExitCode.INVALID_INPUT) from None
    console.print(_("Waiver %(id)s: %(rule)s on %(object)s until %(expires)s.") % {
        "id": waiver.pk, "rule": waiver.rule_id, "object": f"{waiver.object_type}:{waiver.object_slug}",
        "expires": waiver.expires})


@app.command("audit-revoke", help=_("Revoke a waiver: the finding opens again; the waiver stays on record."))
def audit_revoke(
    workspace: str = workspace_option(),
    waiver_id: int = typer.Argument(..., metavar="WAIVER", help=_("The waiver's number (shown when it was recorded, "
                                                                  "and on the waivers page).")),
) -> None:
    setup_django()
    from django.db import transaction
    from django.utils.translation import gettext as _

    from mue.audit import live
    from mue.audit.models import Waiver
    from mue.audit.waivers import WaiverError, revoke_waiver

    ws = workspace_or_exit(workspace, "audit")
    with transaction.atomic():
        waiver = Waiver.objects.select_for_update().filter(workspace=ws, pk=waiver_id).first()
        if waiver is None:
            raise fail(_("no waiver %(id)s in workspace '%(workspace)s'") % {"id": waiver_id, "workspace": ws.slug},
                       ExitCode.NOT_FOUND)
        try:
            revoke_waiver(waiver, revoked_by="cli")
        except WaiverError as exc:
            raise fail(str(exc), ExitCode.INVALID_INPUT) from None
        live.apply_decisions(ws)
    console.print(_("Waiver %(id)s revoked: %(rule)s on %(object)s is an open finding again.") % {
        "id": waiver.pk, "rule": waiver.rule_id, "object": f"{waiver.object_type}:{waiver.object_slug}"},
        highlight=False)


@app.command("audit-answer", help=_("Answer a questionnaire item (what no data of the register can say)."))
def audit_answer(
    workspace: str = workspace_option(),
    question_id: str = typer.Argument(..., help=_("Questionnaire item, e.g. CON-Q01 (see `mue rules`).")),
    answer: str = typer.Argument(..., help=_("yes, partial, no or unknown.")),
    by: str = typer.Option(..., "--by", help=_("Who answers.")),
    note: str = typer.Option("", "--note", help=_("What the answer rests on.")),
    on: str | None = typer.Option(None, "--on", help=_("Date of the answer (default today).")),
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.audit.waivers import WaiverError, answer_question

    ws = workspace_or_exit(workspace, "audit")
    try:
        saved = answer_question(ws, question_id, answer, answered_by=by, note=note, answered_on=_date(on, "--on"))
    except WaiverError as exc:
        raise fail(str(exc), ExitCode.INVALID_INPUT) from None
    console.print(_("%(question)s: %(answer)s (%(by)s, %(on)s).") % {
        "question": saved.question_id, "answer": saved.get_answer_display(), "by": saved.answered_by,
        "on": saved.answered_on})
