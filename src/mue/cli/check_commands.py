"""Integrity and workspace lifecycle commands: ``mue check``, ``mue workspace delete``."""

from __future__ import annotations

import json

import typer
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rich.table import Table

from mue.cli.app import ExitCode, app, console, err_console, fail, setup_django, workspace_or_exit
from mue.cli.group import MueGroup

workspace_app = typer.Typer(help=_("Workspace lifecycle."), no_args_is_help=True, cls=MueGroup)
app.add_typer(workspace_app, name="workspace")


@app.command(help=_("Find stored references that cross workspaces (left by raw SQL or bulk updates). "
                    "Exit code 1 when any is found."))
def check(as_json: bool = typer.Option(False, "--json", help=_("The findings as JSON."))) -> None:
    setup_django()
    from mue.core.integrity import find_cross_links, relations

    links = find_cross_links()
    if as_json:
        typer.echo(json.dumps({"relations_checked": len(relations()), "cross_workspace_links":
                               [link.as_dict() for link in links]}, ensure_ascii=False, indent=2))
    elif not links:
        count = len(relations())
        console.print(ngettext("No reference crosses workspaces (%(count)d relation checked).",
                               "No reference crosses workspaces (%(count)d relations checked).", count)
                      % {"count": count})
    else:
        table = Table(_("relation"), _("object"), _("workspace"), _("points to"), _("of workspace"),
                      title=_("References that cross workspaces"))
        for link in links:
            table.add_row(link.relation, f"{link.object_type} {link.object}", link.workspace,
                          f"{link.target_type} {link.target}", link.target_workspace)
        console.print(table)
        err_console.print(ngettext("%(count)d reference crosses workspaces: fix it in the admin or re-import "
                                   "the workspace.",
                                   "%(count)d references cross workspaces: fix them in the admin or re-import "
                                   "the workspace.", len(links)) % {"count": len(links)})
    if links:
        raise typer.Exit(int(ExitCode.FAILURE))


@workspace_app.command("delete", help=_("Delete a workspace with its objects, links, side tables and history."))
def delete(
    slug: str = typer.Argument(..., help=_("Workspace slug.")),
    yes: bool = typer.Option(False, "--yes", "-y", help=_("Do not ask to type the slug to confirm.")),
    as_json: bool = typer.Option(False, "--json", help=_("What was deleted, as JSON.")),
) -> None:
    setup_django()
    from mue.core.deletion import contents, delete_workspace

    ws = workspace_or_exit(slug, "admin")
    if not yes:
        preview = contents(ws)
        console.print(_("Deleting workspace %(slug)s removes:") % {"slug": f"[bold]{ws.slug}[/]"})
        for label, count in preview.by_label():
            console.print(f"  {label}: {count}")
        typed = typer.prompt(_("Type the workspace's slug to confirm"), default="", show_default=False)
        if typed.strip() != ws.slug:
            raise fail(_("the slug typed does not match: nothing was deleted"), ExitCode.USAGE)
    report = delete_workspace(ws)
    if as_json:
        typer.echo(json.dumps({"workspace": report.workspace, "deleted": dict(report.by_label()),
                               "rows": report.total}, ensure_ascii=False, indent=2, default=str))
        return
    table = Table(_("type"), _("deleted"), title=_("Workspace %(slug)s deleted") % {"slug": report.workspace})
    for label, count in report.by_label():
        table.add_row(str(label), str(count))
    console.print(table)
