"""Report commands: ``mue report``, its action plan, review and publication, declared interests, requests for
information sent to vendors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.table import Table

from mue.cli.app import ExitCode, _, app, console, err_console, fail, setup_django, workspace_option, workspace_or_exit


def _date(value: str | None, option: str) -> dt.date | None:
    from django.utils.translation import gettext as _

    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail(_("%(option)s: '%(value)s' is not a date (YYYY-MM-DD)") % {"option": option, "value": value},
                   ExitCode.USAGE) from None


def _draft(workspace: str, run: int | None, action: str = "audit"):
    from mue.reports.services import ReportError, current_draft

    ws = workspace_or_exit(workspace, action)
    try:
        return current_draft(ws, run, author_name="cli")
    except ReportError as exc:
        raise fail(str(exc), ExitCode.NOT_FOUND) from None


@app.command(help=_("Write the audit report of a workspace as DOCX, HTML or PDF (the current draft, or a "
                    "published version as it was published)."))
def report(
    workspace: str = workspace_option(),
    fmt: str = typer.Option("docx", "--format", "-f", help=_("docx, html or pdf.")),
    output: Path = typer.Option(None, "--output", "-o", help=_("File to write (default: WORKSPACE-report.FORMAT).")),
    run: int | None = typer.Option(None, "--run", help=_("Audit run to report on (default: the latest).")),
    version: int | None = typer.Option(None, "--version", help=_("A published version (its stored file).")),
    template: Path | None = typer.Option(None, "--template", help=_("Your own Word template (.docx) for DOCX.")),
    language: str | None = typer.Option(None, "--language", "-l", help=_("Language of the report: fr or en.")),
    licence: str | None = typer.Option(None, "--licence",
                                       help=_("cc-by-4.0, cc-by-sa-4.0, cc-by-nc-sa-4.0 or none.")),
    advisor: str | None = typer.Option(None, "--advisor", help=_("Who carried out the audit (on the cover).")),
    title: str | None = typer.Option(None, "--title", help=_("Title of the report.")),
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.reports.choices import Licence
    from mue.reports.services import ReportError, published, render
    from mue.reports.word import TemplateError

    fmt = fmt.lower()
    if fmt not in ("docx", "html", "pdf"):
        raise fail(_("unknown format '%(format)s' (docx, html or pdf)") % {"format": fmt}, ExitCode.USAGE)
    if licence is not None and licence not in Licence.values:
        raise fail(_("--licence: one of %(choices)s") % {"choices": ", ".join(Licence.values)}, ExitCode.USAGE)
    if language is not None and language not in ("fr", "en"):
        raise fail(_("--language: fr or en"), ExitCode.USAGE)
    if template is not None and not template.is_file():
        raise fail(_("template %(file)s not found") % {"file": template}, ExitCode.NOT_FOUND)
    if version is not None:
        try:
            chosen = published(workspace_or_exit(workspace, "view"), version)
        except ReportError as exc:
            raise fail(str(exc), ExitCode.NOT_FOUND) from None
        if any(v is not None for v in (licence, language, advisor, title, run)):
            raise fail(_("a published report never changes: --licence, --language, --advisor, --title and --run "
                         "apply to the draft"), ExitCode.USAGE)
    else:
        chosen = _draft(workspace, run)
        changes = {k: v for k, v in (("licence", licence), ("language", language), ("advisor", advisor),
                                     ("title", title)) if v is not None}
        if changes:
            for key, value in changes.items():
                setattr(chosen, key, value)
            chosen.save(update_fields=[*changes, "updated"])
    output = output or Path(f"{workspace}-report.{fmt}")
    try:
        data = render(chosen, fmt, template)
    except (ReportError, TemplateError) as exc:
        raise fail(str(exc), ExitCode.INVALID_INPUT) from None
    output.write_bytes(data)
    err_console.print(_("Report %(which)s of %(workspace)s written to %(file)s (%(size)s KB)") % {
        "which": str(chosen), "workspace": workspace, "file": output, "size": max(1, len(data) // 1024)},
        highlight=False)


@app.command("report-template", help=_("Write the shipped Word template of reports, to restyle and pass to "
                                       "`mue report --template`."))
def report_template(
    output: Path = typer.Option(..., "--output", "-o", help=_("File to write (.docx).")),
    language: str = typer.Option("fr", "--language", "-l", help=_("fr or en.")),
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.reports.word_template import template_path

    if language not in ("fr", "en"):
        raise fail(_("--language: fr or en"), ExitCode.USAGE)
    output.write_bytes(template_path(language).read_bytes())
    err_console.print(_("Template written to %(file)s") % {"file": output}, highlight=False)


@app.command("report-plan", help=_("Show the action plan of the report being prepared, or edit one action "
                                   "(owner, target date, effort, position)."))
def report_plan(
    workspace: str = workspace_option(),
    rule_id: str | None = typer.Argument(None, help=_("The action to edit, by its rule id (e.g. CON-001).")),
    owner: str | None = typer.Option(None, "--owner", help=_("Who carries the action.")),
    target: str | None = typer.Option(None, "--target", help=_("Target date (YYYY-MM-DD).")),
    effort: str | None = typer.Option(None, "--effort", help=_("small, medium or large.")),
    position: int | None = typer.Option(None, "--position", min=0, help=_("Place in the plan (0: computed order).")),
    note: str | None = typer.Option(None, "--note", help=_("A note printed with the action.")),
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.reports.actions import ordered, priority
    from mue.reports.choices import Effort
    from mue.reports.models import Action

    draft = _draft(workspace, None)
    if rule_id is not None:
        if draft.frozen or draft.status != "draft":
            raise fail(_("the plan can be edited while the report is a draft"), ExitCode.USAGE)
        action = Action.objects.filter(report=draft, rule_id=rule_id.upper()).first()
        if action is None:
            raise fail(_("no action for rule %(rule)s in the plan") % {"rule": rule_id}, ExitCode.NOT_FOUND)
        if effort is not None and effort not in Effort.values:
            raise fail(_("--effort: small, medium or large"), ExitCode.USAGE)
        for key, value in (("owner", owner), ("effort", effort), ("position", position), ("note", note),
                           ("target_date", _date(target, "--target"))):
            if value is not None:
                setattr(action, key, value)
        action.save()
    table = Table("#", _("rule"), _("severity"), _("criticality"), _("effort"), _("objects"), _("priority"),
                  _("owner"), _("target date"), title=_("Action plan of report %(report)s") % {"report": draft})
    for rank, a in enumerate(ordered(list(Action.objects.filter(report=draft))), start=1):
        table.add_row(str(rank), a.rule_id, a.severity, str(a.criticality), a.effort, str(len(a.targets)),
                      f"{priority(a):.1f}", a.owner, str(a.target_date or ""))
    console.print(table)


@app.command("report-review", help=_("Move the report through review: submit, comment, request changes, approve, "
                                     "publish."))
def report_review(
    workspace: str = workspace_option(),
    step: str = typer.Argument(..., help=_("submit, comment, changes, approve or publish.")),
    by: str = typer.Option("", "--by", help=_("Who speaks (the reviewer must not be the author).")),
    section: str = typer.Option("", "--section", help=_("The section commented on (summary, actions...).")),
    comment: str = typer.Option("", "--comment", "-m", help=_("What is said.")),
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.reports import services
    from mue.reports.choices import Section

    draft = _draft(workspace, None)
    if section and section not in Section.values:
        raise fail(_("--section: one of %(choices)s") % {"choices": ", ".join(Section.values)}, ExitCode.USAGE)
    verdicts = {"comment": "comment", "changes": "changes", "approve": "approved"}
    try:
        if step == "submit":
            services.submit(draft)
        elif step in verdicts:
            services.review(draft, verdict=verdicts[step], body=comment, section=section, name=by or "cli")
        elif step == "publish":
            draft = services.publish(draft)
        else:
            raise fail(_("unknown step '%(step)s' (submit, comment, changes, approve or publish)") % {"step": step},
                       ExitCode.USAGE)
    except services.ReportError as exc:
        raise fail(str(exc), ExitCode.INVALID_INPUT) from None
    draft.refresh_from_db()
    console.print(_("Report %(report)s: %(status)s") % {"report": draft, "status": draft.get_status_display()})


@app.command("report-request", help=_("Record a request for information sent to vendors (every report lists it "
                                      "with the answers); without --subject, list the requests and their answers."))
def report_request(
    workspace: str = workspace_option(),
    subject: str = typer.Option("", "--subject", "-s", help=_("What was asked, in a few words.")),
    to: str = typer.Option("", "--to", help=_("The vendors it went to: slugs separated by commas.")),
    question: str = typer.Option("", "--question", "-q", help=_("The question as sent.")),
    sent: str | None = typer.Option(None, "--sent", help=_("When it was sent (YYYY-MM-DD; default today).")),
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.reports.interests import requests_of
    from mue.reports.requests import RequestError, record_request

    ws = workspace_or_exit(workspace, "audit" if subject else "view")
    if subject:
        try:
            saved = record_request(ws, subject, to.split(","), question=question, sent_on=_date(sent, "--sent"))
        except RequestError as exc:
            raise fail(str(exc), ExitCode.INVALID_INPUT) from None
        console.print(_("Request %(id)s recorded: %(subject)s, sent to %(count)s vendor(s).") % {
            "id": saved.pk, "subject": saved.subject, "count": saved.answers.count()}, highlight=False)
        return
    lines = requests_of(ws)
    if not lines:
        console.print(_("No request for information recorded."))
        return
    table = Table()
    for header in (_("request"), _("sent on"), _("subject"), _("vendor"), _("answered on"), _("answer")):
        table.add_column(header, overflow="fold")  # folded, never cut: the answers are what is read
    for line in lines:
        for vendor, on, answer in line.answers or [("", "", "")]:
            table.add_row(str(line.number), line.sent_on.isoformat(), line.subject, vendor, on, answer)
    console.print(table)


@app.command("report-answer", help=_("Record a vendor's answer to a request for information."))
def report_answer(
    workspace: str = workspace_option(),
    request_id: int = typer.Argument(..., metavar="REQUEST",
                                     help=_("The request's number (see `mue report-request`).")),
    vendor: str = typer.Argument(..., help=_("The vendor's slug.")),
    answer: str = typer.Argument(..., help=_("What the vendor answered.")),
    on: str | None = typer.Option(None, "--on", help=_("When it answered (YYYY-MM-DD; default today).")),
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.reports.requests import RequestError, record_answer

    ws = workspace_or_exit(workspace, "audit")
    try:
        saved = record_answer(ws, request_id, vendor, answer, answered_on=_date(on, "--on"))
    except RequestError as exc:
        raise fail(str(exc), ExitCode.INVALID_INPUT) from None
    console.print(_("Answer of %(vendor)s recorded for request %(id)s.") % {"vendor": saved.party.name,
                                                                           "id": request_id}, highlight=False)


@app.command(help=_("Write the XLSX inventory of a workspace (one sheet per type, the templates' columns), or read "
                    "an edited one back with --read (all or nothing)."))
def inventory(
    workspace: str = workspace_option(),
    output: Path = typer.Option(None, "--output", "-o", help=_("File to write (default: WORKSPACE-inventory.xlsx).")),
    read: Path = typer.Option(None, "--read", help=_("An inventory to import back into the workspace.")),
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.interchange.problems import ImportFailed
    from mue.reports.inventory import import_inventory, inventory_xlsx

    if read is not None:
        ws = workspace_or_exit(workspace, "change")
        if not read.is_file():
            raise fail(_("%(file)s not found") % {"file": read}, ExitCode.NOT_FOUND)
        try:
            result = import_inventory(read, ws, actor="cli", channel="cli")
        except ImportFailed as exc:
            for problem in exc.problems:
                err_console.print(f"  {problem}", highlight=False, markup=False)
            raise fail(_("%(file)s rejected, nothing written") % {"file": read.name}, ExitCode.INVALID_INPUT) from None
        console.print(f"[bold green]{read.name}[/] → {workspace}: {result.summary()}")
        return
    ws = workspace_or_exit(workspace, "view")
    output = output or Path(f"{workspace}-inventory.xlsx")
    output.write_bytes(inventory_xlsx(ws))
    err_console.print(_("Inventory of %(workspace)s written to %(file)s") % {"workspace": workspace, "file": output},
                      highlight=False)


@app.command(help=_("Write the handover archive of a workspace: the map, the files, the whole history, audits, "
                    "discovery results and published reports, with a manifest and a README (FR/EN)."))
def handover(
    workspace: str = workspace_option(),
    output: Path = typer.Option(None, "--output", "-o", help=_("Archive to write (default: WORKSPACE-handover.zip).")),
) -> None:
    setup_django()
    from django.utils.translation import ngettext

    from mue.reports.handover import write_handover

    ws = workspace_or_exit(workspace, "admin")
    output = output or Path(f"{workspace}-handover.zip")
    partial = output.with_name(output.name + ".part")
    try:
        summary = write_handover(ws, partial)
        partial.replace(output)  # never a half-written archive under the final name
    finally:
        partial.unlink(missing_ok=True)
    err_console.print(ngettext("Handover archive of %(workspace)s written to %(file)s: %(rows)s row in %(tables)s "
                               "tables, %(files)s files",
                               "Handover archive of %(workspace)s written to %(file)s: %(rows)s rows in %(tables)s "
                               "tables, %(files)s files", summary.rows)
                      % {"workspace": workspace, "file": output, "rows": summary.rows, "tables": len(summary.tables),
                         "files": summary.files}, highlight=False)


@app.command(help=_("Rebuild a workspace from a handover archive, all or nothing (checked before anything is "
                    "written)."))
def restore(
    archive: Path = typer.Argument(..., help=_("The handover archive (.zip).")),
    as_slug: str = typer.Option(None, "--as", help=_("Restore under this slug instead of the archived one.")),
) -> None:
    setup_django()
    from django.core.validators import validate_slug
    from django.utils.translation import gettext as _

    from mue.reports.handover import HandoverError
    from mue.reports.handover import restore as restore_archive

    if not archive.is_file():
        raise fail(_("%(file)s not found") % {"file": archive}, ExitCode.NOT_FOUND)
    if as_slug is not None:
        try:
            validate_slug(as_slug)
        except Exception:
            raise fail(_("--as: '%(slug)s' is not a valid slug (letters, digits, - and _)") % {"slug": as_slug},
                       ExitCode.USAGE) from None
    try:
        ws = restore_archive(archive, as_slug)
    except HandoverError as exc:
        raise fail(_("%(error)s; nothing was restored") % {"error": exc}, ExitCode.INVALID_INPUT) from None
    console.print(_("Workspace %(slug)s (%(name)s) restored from %(file)s.")
                  % {"slug": ws.slug, "name": ws.name, "file": archive.name})
