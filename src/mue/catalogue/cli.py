"""``mue service-contract``: the service contract of a business unit, as DOCX or HTML."""

from __future__ import annotations

from pathlib import Path

import typer

from mue.cli.app import ExitCode, _, app, err_console, fail, setup_django, workspace_option, workspace_or_exit


@app.command("service-contract", help=_("Write the service contract of a business unit (its services, their "
                                        "levels, costs, both sides' commitments, contacts) as DOCX or HTML; "
                                        "--record keeps it as a new version."))
def service_contract(
    workspace: str = workspace_option(),
    unit: str = typer.Option(..., "--unit", "-u", help=_("Slug of the business unit.")),
    output: Path = typer.Option(None, "--output", "-o",
                                help=_("File to write (default: WORKSPACE-UNIT-contract.FORMAT).")),
    fmt: str = typer.Option("docx", "--format", "-f", help=_("docx or html.")),
    language: str = typer.Option("fr", "--language", "-l", help=_("Language of the contract: fr or en.")),
    template: Path | None = typer.Option(None, "--template", help=_("Your own Word template (.docx) for DOCX.")),
    record: bool = typer.Option(False, "--record", help=_("Keep this DOCX as the unit's next contract version.")),
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.catalogue.contracts import FORMATS, ContractError, draft, find_unit, record_version, stored_file
    from mue.core.changelog import change_context
    from mue.reports.word import TemplateError

    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise fail(_("unknown format '%(format)s' (docx or html)") % {"format": fmt}, ExitCode.USAGE)
    if language not in ("fr", "en"):
        raise fail(_("--language: fr or en"), ExitCode.USAGE)
    if record and fmt != "docx":
        raise fail(_("--record keeps the DOCX: use it with --format docx"), ExitCode.USAGE)
    if template is not None and not template.is_file():
        raise fail(_("template %(file)s not found") % {"file": template}, ExitCode.NOT_FOUND)
    ws = workspace_or_exit(workspace, "change" if record else "view")
    try:
        found = find_unit(ws, unit)
    except ContractError as exc:
        raise fail(str(exc), ExitCode.NOT_FOUND) from None
    output = output or Path(f"{workspace}-{unit}-contract.{fmt}")
    try:
        if record:
            with change_context(actor_name="cli", source="cli", message="mue service-contract --record"):
                version = record_version(ws, found, language, template)
            data = stored_file(version)
            which = version.name
        else:
            data = draft(ws, found, language, fmt, template)
            which = _("draft")
    except (ContractError, TemplateError) as exc:
        raise fail(str(exc), ExitCode.INVALID_INPUT) from None
    output.write_bytes(data)
    err_console.print(_("Service contract of %(unit)s (%(which)s) written to %(file)s (%(size)s KB)") % {
        "unit": found.name, "which": which, "file": output, "size": max(1, len(data) // 1024)}, highlight=False)
