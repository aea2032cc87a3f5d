"""The ``mue`` command group: one way to name the workspace, and no traceback for a database that fails.

Every command that works in a workspace names it with ``-w/--workspace``. Until version 0.1 some
took it as their first argument (``mue audit valmont``, ``mue export valmont``, ``mue member add
valmont USER``); that form is still accepted, with a deprecation note on standard error: when a
command has a ``--workspace`` option that was not given and receives one argument more than it
declares, the first one is the workspace. Commands whose subject is the workspace itself (``mue init
SLUG``, ``mue workspace delete SLUG``) take its slug as their argument.
"""

from __future__ import annotations

from typing import Any

from typer import _click
from typer.core import TyperArgument, TyperGroup, TyperOption

WORKSPACE_OPTIONS = ("-w", "--workspace")


def _takes_value(command: _click.Command) -> dict[str, bool]:
    """Each option string of ``command`` -> whether it consumes the next token."""
    takes: dict[str, bool] = {}
    for param in command.params:
        if isinstance(param, TyperOption):
            flag = bool(getattr(param, "is_flag", False) or getattr(param, "count", False))
            for opt in (*param.opts, *getattr(param, "secondary_opts", ())):
                takes[opt] = not flag
    return takes


def _positionals(command: _click.Command, args: list[str]) -> list[int]:
    """Positions in ``args`` of the tokens that are arguments (not options or option values)."""
    takes = _takes_value(command)
    found: list[int] = []
    i = 0
    while i < len(args):
        token = args[i]
        if token == "--":
            found.extend(range(i + 1, len(args)))
            break
        if token.startswith("-") and len(token) > 1:
            name = token.split("=", 1)[0]
            if "=" not in token and takes.get(name, False):
                i += 1  # the option's value
        else:
            found.append(i)
        i += 1
    return found


def legacy_workspace(command: _click.Command, args: list[str]) -> tuple[list[str], str | None]:
    """``args`` with a leading positional workspace turned into ``--workspace``, and that slug (or None)."""
    names = {opt for p in command.params if isinstance(p, TyperOption) for opt in p.opts}
    if "--workspace" not in names or any(a in WORKSPACE_OPTIONS or a.startswith("--workspace=") for a in args):
        return args, None
    if any(a in ("--help", "-h") for a in args):
        return args, None
    arguments = [p for p in command.params if isinstance(p, TyperArgument)]
    if any(p.nargs != 1 for p in arguments):  # a list of files or logs: no room for a legacy slug
        return args, None
    positions = _positionals(command, args)
    if len(positions) != len(arguments) + 1:
        return args, None
    at = positions[0]
    slug = args[at]
    return [*args[:at], "--workspace", slug, *args[at + 1:]], slug


class MueGroup(TyperGroup):
    """Typer's group, with the deprecated positional workspace and database errors in one line."""

    def resolve_command(self, ctx: _click.Context, args: list[str]) -> tuple[Any, Any, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None and not isinstance(command, TyperGroup):
            rest, slug = legacy_workspace(command, rest)
            if slug is not None:
                from django.utils.translation import gettext as _

                from mue.cli.app import err_console

                path = " ".join([*ctx.command_path.split()[1:], name or ""]).strip()
                err_console.print(_("note: `mue %(command)s %(slug)s` is deprecated: name the workspace with "
                                    "`-w %(slug)s` (`mue %(command)s -w %(slug)s ...`)")
                                  % {"command": path, "slug": slug}, highlight=False, soft_wrap=True)
        return name, command, rest

    def invoke(self, ctx: _click.Context) -> Any:
        from django.db import DatabaseError

        try:
            return super().invoke(ctx)
        except OSError as exc:
            if ctx.parent is not None or exc.filename is None:
                raise
            from django.utils.translation import gettext as _

            from mue.cli.app import ExitCode, fail

            # A file named on the command line that cannot be read or written: the user's path, not a bug.
            missing = isinstance(exc, (FileNotFoundError, NotADirectoryError))
            raise fail(_("%(file)s: %(reason)s") % {"file": exc.filename, "reason": exc.strerror or exc},
                       ExitCode.NOT_FOUND if missing else ExitCode.USAGE) from None
        except DatabaseError as exc:
            if ctx.parent is not None:  # the top group says it once
                raise
            from django.utils.translation import gettext as _

            from mue.cli.app import ExitCode, fail
            from mue.cli.database import describe_database

            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise fail(_("the database %(where)s failed: %(error)s (if it was never set up or comes from an earlier "
                         "version, run `mue setup --no-demo`)") % {"where": describe_database(), "error": first},
                       ExitCode.NOT_READY) from None
