"""Entry point of the ``mue`` command: imports the modules that add commands to the app."""

from mue.cli import app as _app
from mue.cli import core_commands, interchange_commands  # noqa: F401

app = _app.app


def main() -> None:
    app()


if __name__ == "__main__":
    main()
