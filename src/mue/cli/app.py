"""The typer application behind the ``mue`` command; domains add their commands to it."""

from __future__ import annotations

import os
from enum import IntEnum

import typer
from rich.console import Console

app = typer.Typer(
    name="mue",
    help="Mue: the register of an organization's digital landscape, and the workbench to audit and steer it.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)


class ExitCode(IntEnum):
    """Exit codes of every ``mue`` command."""

    OK = 0
    FAILURE = 1  # the work ran and found what --fail-on asks to fail on
    USAGE = 2  # wrong arguments (typer's own)
    INVALID_INPUT = 3  # an input file was rejected; nothing was written
    NOT_FOUND = 4  # a workspace, object or file that does not exist


_ready = False


def setup_django() -> None:
    """Configure Django once, for commands that touch the database."""
    global _ready
    if _ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mue.settings")
    import django

    django.setup()
    from django.utils import translation

    translation.activate(cli_language())
    _ready = True


def cli_language() -> str:
    """French or English for the command's messages: MUE_LANGUAGE, else the locale (LANG), else English."""
    wanted = os.environ.get("MUE_LANGUAGE") or os.environ.get("LC_ALL") or os.environ.get("LANG") or "en"
    return "fr" if wanted.lower().startswith("fr") else "en"


def fail(message: str, code: ExitCode) -> typer.Exit:
    """Print an error and return the exit to raise: ``raise fail("...", ExitCode.NOT_FOUND)``."""
    from django.utils.translation import gettext as _

    prefix = _("error:")
    err_console.print(f"[bold red]{prefix}[/] {message}", highlight=False)
    return typer.Exit(int(code))
