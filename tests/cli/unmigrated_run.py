"""Run every ``mue`` command once against the database of ``MUE_VAR_DIR`` (never set up) and print the results.

Started by tests/cli/test_first_run.py in a process of its own, so that the settings point to an
empty data directory. Prints one JSON object: command path -> exit code, output, exception raised.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from typer.main import get_command
from typer.testing import CliRunner

from mue.cli.group import TyperArgument, TyperGroup, TyperOption
from mue.cli.main import app

WORK = Path(sys.argv[1])


def samples() -> dict[str, list[str]]:
    """Realistic arguments per command (a user's first try); others get placeholder values."""
    map_file = WORK / "map.yaml"
    map_file.write_text("workspace: {slug: acme, name: Acme}\n", encoding="utf-8")
    log = WORK / "access.log"
    log.write_text("1700000000.000 1 10.0.0.1 TCP_MISS/200 1000 CONNECT www.dropbox.com:443 alice -\n")
    return {
        "init": ["acme", "--name", "Acme"],
        "import": [str(map_file)],
        "export": ["-w", "acme"],
        "template": ["applications", "-o", str(WORK / "applications.xlsx")],
        "demo": ["valmont"],
        "user add": ["bob", "--password", "a-long-secret-1"],
        "user passwd": ["bob", "--password", "a-long-secret-2"],
        "member add": ["-w", "acme", "bob", "--role", "viewer"],
        "member list": ["-w", "acme"],
        "member remove": ["-w", "acme", "bob"],
        "workspace delete": ["acme", "--yes"],
        "audit": ["-w", "acme"],
        "audit-runs": ["-w", "acme"],
        "audit-waive": ["-w", "acme", "DOC-004", "service:x", "-j", "why", "--approver", "me",
                        "--expires", "2030-01-01"],
        "audit-answer": ["-w", "acme", "CON-Q01", "yes", "--by", "me"],
        "impact": ["portail", "-w", "acme"],
        "lineage": ["familles", "-w", "acme"],
        "spof": ["-w", "acme"],
        "graph": ["-w", "acme", "--svg", str(WORK / "g.svg")],
        "discover": ["-w", "acme", str(log)],
        "catalogue": ["-w", "acme"],
        "generate": ["-w", "acme"],
    }


def leaves(group, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        if isinstance(command, TyperGroup):
            yield from leaves(command, (*prefix, name))
        else:
            yield " ".join((*prefix, name)), command


def placeholder(command) -> list[str]:
    args: list[str] = []
    for param in command.params:
        if isinstance(param, TyperArgument) and param.required:
            args.append("x")
        elif isinstance(param, TyperOption) and param.required:
            args.extend([param.opts[0], "x"])
    return args


def main() -> None:
    runner = CliRunner()
    known = samples()
    results = {}
    for path, command in leaves(get_command(app)):
        if path in ("setup", "i18n compile"):  # the fix itself; writes the package's catalogues
            continue
        args = known.get(path, placeholder(command))
        result = runner.invoke(app, [*path.split(), *args])
        exception = result.exception
        results[path] = {"exit": result.exit_code, "output": result.output, "sampled": path in known,
                         "exception": None if exception is None or isinstance(exception, SystemExit)
                         else f"{type(exception).__name__}: {exception}"}
    sys.stdout.write(json.dumps(results) + "\n")


if __name__ == "__main__":
    main()
