"""Entry point of the ``mue`` command.

Core commands live in :mod:`mue.cli`; each domain app adds its own by shipping a ``cli.py`` module
that registers commands on :data:`mue.cli.app.app` (and imports models only inside commands).
"""

import importlib
import importlib.util

from mue.cli import app as _app
from mue.cli import check_commands, core_commands, interchange_commands  # noqa: F401

DOMAIN_APPS = ("interchange", "synthetic", "usage", "audit", "graph", "discovery", "accounts", "jobs", "reports", "api",
               "costs", "skills", "gdpr", "catalogue")


def _load_domain_commands() -> None:
    for name in DOMAIN_APPS:
        module = f"mue.{name}.cli"
        if importlib.util.find_spec(f"mue.{name}") and importlib.util.find_spec(module):
            importlib.import_module(module)


_load_domain_commands()
app = _app.app


def main() -> None:
    app()


if __name__ == "__main__":
    main()
