"""The harness under ``make bench``: results, databases, generated files and measured child processes.

See :mod:`benchmarks.__main__` for how to add a benchmark. Every measured step runs in a child
process (``python -m benchmarks.worker``) so its peak RSS is its own, on a database of its own.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SEED = 1


@dataclass
class Result:
    """One figure of one benchmark, compared with a baseline measured in the same run.

    ``ratio`` is always "how many times the baseline's cost": figure / baseline for durations,
    baseline / figure for throughputs (``higher_is_better``). Above 1 means slower than the baseline.
    ``met`` is None when there is no target.
    """

    name: str
    figure: float
    unit: str
    baseline: float | None = None
    target: str = ""
    met: bool | None = None
    higher_is_better: bool = False
    peak_rss_mb: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if not self.baseline or not self.figure:
            return None
        return self.baseline / self.figure if self.higher_is_better else self.figure / self.baseline


@dataclass
class StepOutput:
    """What a child process measured: its own figures (``data``), its wall time and its peak RSS."""

    data: dict[str, Any]
    wall_seconds: float
    peak_rss_mb: float


class StepFailed(RuntimeError):
    """A child step exited with an error (its stderr is in the message)."""


@dataclass
class Loaded:
    """A database holding a generated workspace, and the measures of the import that filled it."""

    url: str
    workspace: str
    output: StepOutput


@dataclass
class Context:
    """What a benchmark gets: the size, the backend, cached files and databases, measured steps."""

    size: str = "L"
    database_url: str | None = None  # PostgreSQL server to use (BENCH_DATABASE_URL); None: SQLite files
    work_dir: Path = field(default_factory=lambda: ROOT / "var" / "bench")
    _databases: list[str] = field(default_factory=list)
    _loaded: dict[str, Loaded] = field(default_factory=dict)
    _template: str | None = None
    # Several runs may share var/bench/ (one engineer's quick run, another's full one): each run's
    # databases carry its process id, and a run drops only its own.
    run_id: str = field(default_factory=lambda: str(os.getpid()))

    @property
    def backend(self) -> str:
        return "postgresql" if self.database_url else "sqlite"

    def workspace_slug(self, size: str | None = None) -> str:
        return f"synthetic-{(size or self.size).lower()}-{SEED}"

    # -- generated files ----------------------------------------------------------------------------

    def map_file(self, fmt: str = "json", size: str | None = None) -> Path:
        """The generated map of a size as a YAML or JSON file, made once and kept under var/bench/."""
        size = (size or self.size).upper()
        path = self.work_dir / "maps" / f"synthetic-{size}-seed{SEED}-{generator_version()}.{fmt}"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f"partial-{self.run_id}-{path.name}")  # renamed once whole: no half file is reused
            _run([sys.executable, "-m", "mue.cli.main", "generate", "--size", size, "--seed", str(SEED),
                  "--output", str(partial)], env=self._env(self._sqlite_url(f"{self.run_id}_generate")))
            partial.rename(path)
        return path

    # -- databases ----------------------------------------------------------------------------------

    def fresh_database(self) -> str:
        """The URL of a new, empty, migrated database (a copy of a template migrated once per run)."""
        template = self._template_database()
        name = f"{self.run_id}_{len(self._databases) + 1}"
        if self.database_url:
            url = self._pg_url(f"{self._pg_base()}_{name}")
            self._pg_admin(f'DROP DATABASE IF EXISTS "{_db_name(url)}"',
                           f'CREATE DATABASE "{_db_name(url)}" TEMPLATE "{_db_name(template)}"')
        else:
            url = self._sqlite_url(name)
            target = Path(urlsplit(url).path)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(urlsplit(template).path, target)
        self._databases.append(url)
        return url

    def load(self, size: str | None = None, fmt: str = "json") -> Loaded:
        """A database holding the generated workspace of a size, imported once per run from its map file."""
        size = (size or self.size).upper()
        key = f"{size}:{fmt}"
        if key not in self._loaded:
            url = self.fresh_database()
            output = self.step("benchmarks.steps:import_map", url, path=str(self.map_file(fmt, size)))
            self._loaded[key] = Loaded(url, self.workspace_slug(size), output)
        return self._loaded[key]

    def _template_database(self) -> str:
        if self._template is None:
            name = f"{self.run_id}_template"
            url = self._pg_url(f"{self._pg_base()}_{name}") if self.database_url else self._sqlite_url(name)
            if self.database_url:
                self._pg_admin(f'DROP DATABASE IF EXISTS "{_db_name(url)}"', f'CREATE DATABASE "{_db_name(url)}"')
            else:
                Path(urlsplit(url).path).unlink(missing_ok=True)
            _run([sys.executable, "-m", "mue.manage", "migrate", "--verbosity", "0"], env=self._env(url))
            self._template = url
        return self._template

    def close(self) -> None:
        """Drop the databases of this run (generated map files stay for the next run)."""
        for url in [*self._databases, *([self._template] if self._template else [])]:
            if self.database_url:
                self._pg_admin(f'DROP DATABASE IF EXISTS "{_db_name(url)}"')
            else:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{urlsplit(url).path}{suffix}").unlink(missing_ok=True)
        self._databases.clear()
        self._loaded.clear()
        self._template = None

    def _sqlite_url(self, name: str) -> str:
        (self.work_dir / "db").mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.work_dir / 'db' / f'{name}.sqlite3'}"

    def _pg_base(self) -> str:
        return _db_name(self.database_url) or "mue_bench"

    def _pg_url(self, name: str) -> str:
        parts = urlsplit(self.database_url)
        return urlunsplit(parts._replace(path=f"/{name}"))

    def _pg_admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self._pg_url("postgres"), autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    # -- measured steps -----------------------------------------------------------------------------

    def step(self, target: str, database: str, source: str | None = None, **kwargs: Any) -> StepOutput:
        """Run ``module:function(**kwargs)`` in a child process on ``database``; its peak RSS is its own.

        ``source``: a second database the step may read, as the ``"source"`` connection alias.
        """
        env = self._env(database)
        if source:
            env["BENCH_SOURCE_URL"] = source
        started = time.perf_counter()
        out = _run([sys.executable, "-m", "benchmarks.worker", target, json.dumps(kwargs)], env=env)
        wall = time.perf_counter() - started
        payload = json.loads(out.strip().splitlines()[-1])
        return StepOutput(payload["data"], wall, payload["peak_rss_mb"])

    def _env(self, database: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update({"DATABASE_URL": database, "MUE_DEBUG": "0", "DJANGO_SETTINGS_MODULE": "mue.settings",
                    "MUE_VAR_DIR": str(self.work_dir / "var")})
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), str(ROOT / "src"), env.get("PYTHONPATH")]))
        return env


def generator_version() -> str:
    """A short digest of the generator's code: cached maps of an older generator are not reused."""
    digest = hashlib.sha1()
    for path in sorted((ROOT / "src" / "mue" / "synthetic").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


@contextmanager
def timer() -> Iterator[dict[str, float]]:
    """``with timer() as t: ...`` then ``t["seconds"]``."""
    box: dict[str, float] = {}
    started = time.perf_counter()
    try:
        yield box
    finally:
        box["seconds"] = time.perf_counter() - started


def _db_name(url: str | None) -> str:
    return urlsplit(url).path.lstrip("/") if url else ""


def _run(command: list[str], env: dict[str, str]) -> str:
    proc = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise StepFailed(f"{' '.join(command[:5])} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return proc.stdout
