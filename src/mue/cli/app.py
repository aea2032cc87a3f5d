"""The typer application behind the ``mue`` command; domains add their commands to it."""

from __future__ import annotations

import os
from enum import IntEnum
from pathlib import Path

import typer
from rich.console import Console

console = Console()
err_console = Console(stderr=True)


class ExitCode(IntEnum):
    """Exit codes of every ``mue`` command."""

    OK = 0
    FAILURE = 1  # the work ran and found what --fail-on asks to fail on
    USAGE = 2  # wrong arguments (typer's own)
    INVALID_INPUT = 3  # an input file was rejected; nothing was written
    NOT_FOUND = 4  # a workspace, object or file that does not exist
    NOT_READY = 5  # the database is not set up, older than this version, or unreachable (the message says what to run)


_ready = False
_database_ready = False


def setup_django(database: bool = True) -> None:
    """Configure Django once; with ``database``, also make sure the database is ready for the command.

    A database that is not (see :mod:`mue.cli.database`) stops the command with one line saying what
    to run, before any query could end in a traceback. Commands that never query (``mue schema``,
    ``mue template``...) pass ``database=False``.
    """
    global _ready
    if not _ready:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mue.settings")
        import django

        django.setup()
        from django.utils import translation

        translation.activate(cli_language())
        _ready = True
    if database:
        ensure_database()


def ensure_database() -> None:
    """Exit with NOT_READY and one line when the database cannot be used as is (checked once per process)."""
    global _database_ready
    if _database_ready:
        return
    from mue.cli.database import database_state, readiness_problem

    problem = readiness_problem(database_state())
    if problem:
        raise fail(problem, ExitCode.NOT_READY)
    _database_ready = True


def forget_database_check() -> None:
    """Check the database again at the next command (after ``mue setup`` migrated it, or in tests)."""
    global _database_ready
    _database_ready = False


def workspace_or_exit(slug: str, action: str = "view"):
    """The workspace ``slug`` through the one access layer (the CLI acts as the instance's operator),
    or exit with NOT_FOUND and a one-line message."""
    from django.utils.translation import gettext as _

    from mue.core.access import SYSTEM, WorkspaceNotFound, get_workspace

    ensure_database()

    try:
        return get_workspace(slug, SYSTEM, action)
    except WorkspaceNotFound:
        raise fail(_("no workspace '%(slug)s' (see `mue workspaces`)") % {"slug": slug}, ExitCode.NOT_FOUND) from None


def workspace_option(help_text: str | None = None, required: bool = True):
    """The one way commands name the workspace they work in: ``-w/--workspace SLUG`` (see mue.cli.group)."""
    return typer.Option(... if required else None, "--workspace", "-w", help=help_text or _("Workspace slug."))


def input_files_or_exit(paths: list[Path], option: str | None = None) -> None:
    """Check every input file before any work: a missing one is NOT_FOUND, a directory a USAGE error."""
    from django.utils.translation import gettext as _

    for path in paths:
        name = f"{option} {path}" if option else str(path)
        if path.is_dir():
            raise fail(_("%(file)s is a directory: give the files themselves (e.g. %(example)s)")
                       % {"file": name, "example": path / "*.yaml"}, ExitCode.USAGE)
        if not path.exists():
            raise fail(_("%(file)s: no such file") % {"file": name}, ExitCode.NOT_FOUND)
        if not os.access(path, os.R_OK):
            raise fail(_("%(file)s cannot be read (permission denied)") % {"file": name}, ExitCode.NOT_FOUND)


def cli_language() -> str:
    """French or English for the command's messages: MUE_LANGUAGE, else the locale (LANG), else English."""
    wanted = os.environ.get("MUE_LANGUAGE") or os.environ.get("LC_ALL") or os.environ.get("LANG") or "en"
    return "fr" if wanted.lower().startswith("fr") else "en"


def fail(message: str, code: ExitCode) -> typer.Exit:
    """Print an error and return the exit to raise: ``raise fail("...", ExitCode.NOT_FOUND)``."""
    from django.utils.translation import gettext as _

    prefix = _("error:")
    err_console.print(f"[bold red]{prefix}[/] {message}", highlight=False, soft_wrap=True)  # one line
    return typer.Exit(int(code))


def _(text: str) -> str:
    """A help text in the command's language (named ``_`` so that ``makemessages`` collects it).

    Help texts are read when the command modules define their commands, so Django is set up and the
    language activated first (below, when this module is imported).
    """
    from django.apps import apps

    if not apps.ready:
        return text
    from django.utils.translation import gettext

    return gettext(text)


def _localise_typer() -> None:
    """Typer's own words around the help texts (panel titles, defaults, errors) in the command's language."""
    from django.utils.translation import gettext_noop
    from typer import rich_utils

    words = {
        "DEPRECATED_STRING": gettext_noop("(deprecated) "),
        "DEFAULT_STRING": gettext_noop("[default: {}]"),
        "ENVVAR_STRING": gettext_noop("[env var: {}]"),
        "REQUIRED_LONG_STRING": gettext_noop("[required]"),
        "ARGUMENTS_PANEL_TITLE": gettext_noop("Arguments"),
        "OPTIONS_PANEL_TITLE": gettext_noop("Options"),
        "COMMANDS_PANEL_TITLE": gettext_noop("Commands"),
        "ERRORS_PANEL_TITLE": gettext_noop("Error"),
        "ABORTED_TEXT": gettext_noop("Aborted."),
        "RICH_HELP": gettext_noop("Try [blue]'{command_path} {help_option}'[/] for help."),
    }
    for name, text in words.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, _(text))


setup_django(database=False)
_localise_typer()
from mue.cli.group import MueGroup  # noqa: E402 (its messages are translated once Django is set up)

app = typer.Typer(
    name="mue",
    cls=MueGroup,
    help=_("Mue: the register of an organization's digital landscape, and the workbench to audit and steer it."),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
