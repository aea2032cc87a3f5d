"""Is the instance's database ready for a command? One line saying what to run when it is not.

Commands never migrate the database implicitly: a shared PostgreSQL database is upgraded by its
operator, after a backup, with ``mue setup --no-demo``. What they do is check, before any query, that
the database exists, answers and holds every migration of this version of Mue, and otherwise stop
with one line naming the command to run (exit code 5, ``ExitCode.NOT_READY``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DatabaseState:
    """Where the database is and what it lacks: ``pending`` migrations (all of them when never set up)."""

    where: str
    reachable: bool
    applied: int
    pending: int
    error: str = ""

    @property
    def ready(self) -> bool:
        return self.reachable and self.pending == 0


def describe_database() -> str:
    """The database in words a user recognises: the SQLite file, or the server and database name."""
    from django.conf import settings

    config = settings.DATABASES["default"]
    if config["ENGINE"].endswith("sqlite3"):
        return str(config["NAME"])
    host = config.get("HOST") or "localhost"
    port = f":{config['PORT']}" if config.get("PORT") else ""
    return f"{config['NAME']} on {host}{port}"


def database_state() -> DatabaseState:
    """Check the database without creating anything (an absent SQLite file stays absent)."""
    from django.conf import settings
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    where = describe_database()
    config = settings.DATABASES["default"]
    if config["ENGINE"].endswith("sqlite3") and str(config["NAME"]) != ":memory:" \
            and not str(config["NAME"]).startswith("file:") and not Path(config["NAME"]).exists():
        return DatabaseState(where, reachable=True, applied=0, pending=-1)
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        applied = len(executor.loader.applied_migrations)
    except DatabaseError as exc:
        return DatabaseState(where, reachable=False, applied=0, pending=0, error=str(exc).strip().splitlines()[0])
    return DatabaseState(where, reachable=True, applied=applied, pending=len(plan))


def readiness_problem(state: DatabaseState) -> str | None:
    """The one line to print when the database cannot be used as is, or None."""
    from django.utils.translation import gettext as _

    if state.ready:
        return None
    if not state.reachable:
        return _("cannot use the database %(where)s: %(error)s (check DATABASE_URL or MUE_VAR_DIR)") % {
            "where": state.where, "error": state.error}
    if state.applied == 0:
        return _("the database %(where)s is not set up yet: run `mue setup --no-demo` for a clean instance "
                 "(or `mue setup` with the demo workspaces)") % {"where": state.where}
    return _("the database %(where)s was made by an earlier version of Mue (%(count)d changes to apply): back it "
             "up, then run `mue setup --no-demo`") % {"where": state.where, "count": state.pending}
