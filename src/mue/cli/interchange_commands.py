"""Map-as-code commands: import, export, template, schema."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

import typer
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rich.progress import BarColumn, Progress, TextColumn

from mue.cli.app import (
    ExitCode,
    app,
    console,
    err_console,
    fail,
    input_files_or_exit,
    setup_django,
    workspace_option,
    workspace_or_exit,
)


def parse_map_option(values: list[str]) -> dict[str, str]:
    """``--map "Nom du logiciel=name,Éditeur=vendor"`` (repeatable) -> {column: field}."""
    mapping: dict[str, str] = {}
    for value in values:
        for pair in value.split(","):
            if not pair.strip():
                continue
            if "=" not in pair:
                raise fail(_("--map expects COLUMN=FIELD pairs, got '%(pair)s'") % {"pair": pair}, ExitCode.USAGE)
            column, field = pair.split("=", 1)
            mapping[column.strip()] = field.strip()
    return mapping


@app.command("import", help=_("Import files into a workspace: upsert by slug, all or nothing per file, idempotent.\n\n"
                               "Also reads ArchiMate exchange files (.xml) and, with --from mercator, Mercator "
                               "database dumps (.sql); what they hold that the register has no place for is listed."))
def import_(
    files: list[Path] = typer.Argument(..., help=_("YAML/JSON maps, CSV/XLSX sheets of one object type, ArchiMate "
                                                   ".xml models or Mercator .sql dumps.")),
    workspace: str = workspace_option(_("Target workspace (required for CSV/XLSX)."), required=False),
    object_type: str = typer.Option(None, "--type", "-t",
                                    help=_("Object type of a CSV/XLSX file (applications, services...).")),
    map_: list[str] = typer.Option([], "--map", help=_('Column mapping: "Nom du logiciel=name,Éditeur=vendor".')),
    mapping_file: Path = typer.Option(None, "--mapping", help=_("A saved mapping file (YAML).")),
    as_json: bool = typer.Option(False, "--json", help=_("Print the report as JSON.")),
    origin: str = typer.Option(None, "--from", metavar="TOOL",
                               help=_("The tool the files come from: archimate (.xml) or mercator (a .sql dump).")),
) -> None:
    input_files_or_exit(files)
    if mapping_file is not None:
        input_files_or_exit([mapping_file], "--mapping")
    setup_django()
    from mue.interchange.files import import_file
    from mue.interchange.problems import ImportFailed
    from mue.interchange.tabular import load_mapping

    try:
        mapping = load_mapping(mapping_file) if mapping_file else None
    except ImportFailed as exc:
        for problem in exc.problems:
            err_console.print(f"  {problem}", highlight=False, markup=False)
        raise fail(_("mapping file %(file)s rejected") % {"file": mapping_file}, ExitCode.INVALID_INPUT) from None
    if map_:
        mapping = mapping or {"columns": {}, "values": {}}
        mapping["columns"].update(parse_map_option(map_))
    user = f"cli:{getpass.getuser()}"
    reports, failed = [], False
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.fields[what]}"),
                  console=err_console, transient=True, disable=as_json) as progress:
        for path in files:
            task = progress.add_task(path.name, total=None, what="")

            def step(key: str, count: int, task=task) -> None:
                progress.update(task, what=f"{key}: {count}")

            try:
                report = import_file(path, workspace=workspace, object_type=object_type, mapping=mapping,
                                     actor=user, channel="cli", progress=step, origin=origin)
            except ImportFailed as exc:
                failed = True
                reports.append({"file": str(path), "ok": False, "problems": [p.as_dict() for p in exc.problems]})
                if not as_json:
                    count = len(exc.problems)
                    message = ngettext("%(file)s: rejected, nothing written (%(count)s problem)",
                                       "%(file)s: rejected, nothing written (%(count)s problems)", count)
                    err_console.print(f"[bold red]{message % {'file': path.name, 'count': count}}[/]")
                    for problem in exc.problems:
                        err_console.print(f"  {problem}", highlight=False, markup=False)
                continue
            notes = list(getattr(report, "notes", []))
            reports.append({"file": str(path), "ok": True, **report.as_dict(), **({"notes": notes} if notes else {})})
            if not as_json:
                console.print(f"[bold green]{path.name}[/] → {report.workspace}: {report.summary()}")
                if notes:  # values read differently from how they were written: say so, one line each
                    noted = ngettext("%(count)s note:", "%(count)s notes:", len(notes)) % {"count": len(notes)}
                    console.print(f"  {noted}")
                    for note in notes:
                        console.print(f"    {note}", highlight=False, markup=False)
    if as_json:
        sys.stdout.write(json.dumps(reports, ensure_ascii=False, indent=2) + "\n")
    if failed:
        raise typer.Exit(int(ExitCode.INVALID_INPUT))


@app.command(help=_("Export a whole workspace as a map (YAML or JSON) that `mue import` reads back, or as an ArchiMate "
                    "3.1 Open Exchange file (Archi, BiZZdesign, Sparx...)."))
def export(
    workspace: str = workspace_option(),
    output: Path = typer.Option(None, "--output", "-o", help=_("File to write (default: standard output).")),
    fmt: str = typer.Option(None, "--format", "-f", help=_("yaml, json or archimate (default: from the file name, "
                                                           "else yaml).")),
) -> None:
    setup_django()
    from mue.interchange.files import export_file

    suffix = output.suffix.lstrip(".").lower() if output and output.suffix else ""
    fmt = (fmt or {"yml": "yaml", "xml": "archimate"}.get(suffix, suffix) or "yaml").lower()
    if fmt not in ("yaml", "json", "archimate"):
        raise fail(_("unknown format '%(format)s' (yaml, json or archimate)") % {"format": fmt}, ExitCode.USAGE)
    data = export_file(workspace_or_exit(workspace), fmt)
    if output:
        output.write_bytes(data)
        err_console.print(_("%(workspace)s exported to %(file)s") % {"workspace": workspace, "file": output})
    else:
        sys.stdout.buffer.write(data)


@app.command(help=_("Print the JSON Schema of map-as-code files."))
def schema(output: Path = typer.Option(None, "--output", "-o", help=_("File to write."))) -> None:
    setup_django(database=False)
    from mue.interchange.schema import document_schema

    text = json.dumps(document_schema(), ensure_ascii=False, indent=2) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


@app.command(help=_("Print the data model of the register (Markdown with a Mermaid diagram), generated from the "
                    "models."))
def datamodel(
    output: Path = typer.Option(None, "--output", "-o", help=_("File to write (docs/data-model.md).")),
) -> None:
    setup_django(database=False)
    from mue.core.datamodel import render

    text = render()
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
