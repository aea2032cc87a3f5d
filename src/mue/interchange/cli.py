"""``mue template``: a blank CSV or XLSX sheet of one object type, ready to fill and import."""

from __future__ import annotations

from pathlib import Path

import typer

from mue.cli.app import ExitCode, _, app, err_console, fail, setup_django


@app.command(help=_("Write a blank template of an object type: its columns, allowed values and help.\n\n"
                    "Fill it and read it back with `mue import FILE --workspace WS` (the type is taken from the "
                    "sheet or file name)."))
def template(
    object_type: str = typer.Argument(..., help=_("Object type: applications, services... (plural or singular).")),
    fmt: str = typer.Option("xlsx", "--format", "-f", help=_("xlsx (drop-downs, help, allowed values) or csv.")),
    output: Path = typer.Option(None, "--output", "-o", help=_("File to write (default: TYPE.xlsx or TYPE.csv).")),
    language: str = typer.Option(None, "--language", "-l", help=_("Language of the help text (fr, en).")),
    force: bool = typer.Option(False, "--force", help=_("Overwrite the output file if it exists.")),
) -> None:
    setup_django(database=False)
    from django.conf import settings
    from django.utils.translation import gettext as _

    from mue.core.registry import registry
    from mue.interchange.files import template_in, template_languages

    try:
        otype = registry.lookup(object_type.strip().lower())
    except KeyError:
        raise fail(_("unknown object type '%(type)s' (known: %(known)s)")
                   % {"type": object_type, "known": ", ".join(registry.keys())}, ExitCode.USAGE) from None
    fmt = fmt.lower()
    if fmt not in ("xlsx", "csv"):
        raise fail(_("unknown format '%(format)s' (xlsx or csv)") % {"format": fmt}, ExitCode.USAGE)
    language = language or settings.LANGUAGE_CODE
    if language not in template_languages():
        raise fail(_("unknown language '%(language)s' (%(known)s)")
                   % {"language": language, "known": ", ".join(template_languages())}, ExitCode.USAGE)
    output = output or Path(f"{otype.key}.{fmt}")
    if output.exists() and not force:
        raise fail(_("%(file)s exists (use --force to overwrite it)") % {"file": output}, ExitCode.USAGE)
    output.write_bytes(template_in(otype, fmt, language))
    err_console.print(_("template of %(type)s written to %(file)s") % {"type": otype.key, "file": output})
