"""``mue generate``: a synthetic workspace of a given size, imported or written to a file."""

from __future__ import annotations

import getpass
import time
from pathlib import Path

import typer

from mue.cli.app import ExitCode, _, app, console, err_console, fail, setup_django
from mue.synthetic.generator import SIZES, Generator, object_count


@app.command(help=_("Generate a coherent synthetic workspace (power-law fan-in, personal data, shadow IT, gaps)."))
def generate(
    size: str = typer.Option("S", "--size", "-s",
                             help=_("Size: %(sizes)s (S ≈ 1k objects, L ≈ 146k).") % {"sizes": ", ".join(SIZES)}),
    seed: int = typer.Option(1, "--seed", help=_("Random seed: the same seed gives the same workspace.")),
    workspace: str = typer.Option(None, "--workspace", "-w", help=_("Workspace slug (default: synthetic-SIZE-SEED).")),
    output: Path = typer.Option(None, "--output", "-o",
                                help=_("Write a YAML or JSON map file instead of importing (by its suffix).")),
    flows_per_import: int = typer.Option(200_000, "--flows-per-import", min=1000,
                                         help=_("Import flows in parts of this many (bounds memory on XL).")),
) -> None:
    setup_django(database=output is None)  # first: the messages below are translated, which needs the settings
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    size = size.upper()
    if size not in SIZES:
        raise fail(_("unknown size '%(size)s' (expected %(sizes)s)") % {"size": size, "sizes": ", ".join(SIZES)},
                   ExitCode.USAGE)
    generator = Generator(size, seed, workspace)
    started = time.perf_counter()
    if output is not None:
        _write(generator, output)
        return
    from mue.interchange.importer import import_document
    from mue.interchange.problems import ImportFailed

    created = 0
    try:
        for part, document in enumerate(generator.documents(flows_per_import), start=1):
            report = import_document(document, source=f"generate {size} seed {seed} part {part}",
                                     actor=f"cli:{getpass.getuser()}", channel="generate")
            created += sum(report.created.values())
            err_console.print(_("part %(part)s: %(summary)s (%(seconds)s s)") % {
                "part": part, "summary": report.summary(), "seconds": f"{time.perf_counter() - started:.1f}"})
    except ImportFailed as exc:  # a generator bug, not a user error: show it whole
        for problem in exc.problems[:20]:
            err_console.print(f"  {problem}", highlight=False, markup=False)
        raise fail(ngettext("the generated document was rejected (%(count)s problem)",
                            "the generated document was rejected (%(count)s problems)", len(exc.problems))
                   % {"count": len(exc.problems)}, ExitCode.FAILURE) from None
    console.print(ngettext("%(workspace)s: %(count)s object created in %(seconds)s s",
                           "%(workspace)s: %(count)s objects created in %(seconds)s s", created) % {
        "workspace": f"[bold green]{generator.workspace_slug}[/]", "count": created,
        "seconds": f"{time.perf_counter() - started:.1f}"})


def _write(generator: Generator, output: Path) -> None:
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    suffix = output.suffix.lower().lstrip(".").replace("yml", "yaml")
    if suffix not in ("yaml", "json"):
        raise fail(_("--output must end in .yaml, .yml or .json, not '%(suffix)s'") % {"suffix": output.suffix},
                   ExitCode.USAGE)
    from mue.interchange.exporter import dumps

    document = generator.document()
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(dumps(document, suffix))
    count = object_count(document)
    err_console.print(ngettext("%(count)s object of %(workspace)s written to %(path)s",
                               "%(count)s objects of %(workspace)s written to %(path)s", count)
                      % {"count": count, "workspace": generator.workspace_slug, "path": output})
