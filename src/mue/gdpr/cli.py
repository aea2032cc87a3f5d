"""``mue gdpr``: suggest activities from the map, print or export the record, data subject requests."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from mue.cli.app import ExitCode, _, app, console, fail, setup_django, workspace_option, workspace_or_exit
from mue.cli.group import MueGroup

gdpr_app = typer.Typer(help=_("The GDPR record of processing activities."), no_args_is_help=True, cls=MueGroup)
app.add_typer(gdpr_app, name="gdpr")


@gdpr_app.command(help=_("Propose processing activities from the map (processes, services, personal data, "
                         "flows); with --record, write the new ones as drafts to accept, edit or reject."))
def suggest(
    workspace: str = workspace_option(),
    record: bool = typer.Option(False, "--record", help=_("Write the new suggestions as draft activities.")),
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.gdpr.suggest import record_drafts, suggestions

    ws = workspace_or_exit(workspace, "change" if record else "view")
    found = suggestions(ws)
    table = Table(title=_("Suggested processing activities"))
    for heading in (_("suggestion"), _("in the record"), _("personal data"), _("applications"), _("recipients")):
        table.add_column(heading)
    for s in found:
        table.add_row(f"{s.name} ({s.slug})", s.existing or _("new"), ", ".join(s.data), ", ".join(s.applications),
                      ", ".join(s.recipients + s.internal_recipients))
    console.print(table)
    new = [s for s in found if s.existing is None]
    if not record:
        console.print(_("%(n)d new suggestion(s); run again with --record to write them as drafts.") % {"n": len(new)})
        return
    report = record_drafts(ws, new, actor="cli")
    console.print(_("%(n)d draft activity(ies) written.") % {"n": report.created.get("processing_activities", 0)})


@gdpr_app.command(name="record", help=_("Print the record of processing activities, or write it as XLSX (the "
                                        "CNIL model's layout), HTML or DOCX with --output."))
def record_command(
    workspace: str = workspace_option(),
    output: Path | None = typer.Option(None, "--output", "-o", help=_("File to write (.xlsx, .html or .docx).")),
    fmt: str | None = typer.Option(None, "--format", "-f", help=_("xlsx, html or docx (default: from --output).")),
    drafts: bool = typer.Option(False, "--drafts", help=_("Include draft activities.")),
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.gdpr.exports import FORMATS, activity_rows, render
    from mue.gdpr.record import build_record

    ws = workspace_or_exit(workspace, "view")
    statuses = ("active", "draft") if drafts else ("active",)
    record = build_record(ws, statuses)
    if output is None and fmt is None:
        console.print(f"[bold]{_('Record of processing activities')} — {ws.name}[/bold]")
        for view in record.items:
            table = Table(title=f"{view.number}. {view.activity.name}", show_header=False)
            table.add_column(style="bold")
            table.add_column()
            for heading, value in activity_rows(view):
                table.add_row(heading, "" if value is None else value, style="cyan" if value is None else None)
            console.print(table)
        if not record.items:
            console.print(_("No activity in the record yet: run `mue gdpr suggest -w %(ws)s`.") % {"ws": ws.slug})
        return
    fmt = (fmt or (output.suffix.lstrip(".") if output else "")).lower()
    if fmt not in FORMATS:
        raise fail(_("unknown format '%(format)s' (xlsx, html or docx)") % {"format": fmt}, ExitCode.USAGE)
    output = output or Path(f"{ws.slug}-record.{fmt}")
    output.write_bytes(render(record, fmt))
    console.print(_("Record written to %(file)s") % {"file": output})


@gdpr_app.command(help=_("A data subject's request: every application, flow and vendor holding or receiving the "
                         "data of a category of data subjects."))
def subject(
    query: str = typer.Argument(..., help=_("Words naming the data subjects (agents, enfants...).")),
    workspace: str = workspace_option(),
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.gdpr.subjects import subject_map

    ws = workspace_or_exit(workspace, "view")
    found = subject_map(ws, query)
    if not found.categories:
        raise fail(_("no personal data category names data subjects matching '%(q)s'") % {"q": query},
                   ExitCode.NOT_FOUND)
    for title, objects in ((_("Data categories"), found.categories), (_("Applications"), found.applications),
                           (_("Flows"), found.flows), (_("Vendors and recipients"), found.vendors),
                           (_("Processing activities"), found.activities)):
        table = Table(title=title)
        table.add_column(_("slug"))
        table.add_column(_("name"))
        for obj in objects:
            table.add_row(obj.slug, obj.name)
        console.print(table)
