"""``make bench``: run every ``benchmarks/bench_*.py``, print each figure with its ratio, record the run.

Adding a benchmark (audit, graph, discovery, API...): create ``benchmarks/bench_<name>.py`` with::

    from benchmarks.harness import Context, Result

    def run(ctx: Context) -> list[Result]:
        loaded = ctx.load()                  # a database holding the generated workspace (size ctx.size)
        out = ctx.step("benchmarks.steps_audit:full_audit", loaded.url, workspace=loaded.workspace)
        return [Result("full audit L", out.data["seconds"], "s", baseline=out.data["baseline_seconds"],
                       target="≤ 3 s", met=out.data["seconds"] <= 3, peak_rss_mb=out.peak_rss_mb)]

* ``ctx.step("module:function", database_url, **kwargs)`` runs the function in a child process with
  Django set up on that database and returns a :class:`~benchmarks.harness.StepOutput`: the dict the
  function returned (time your work inside it, not Django's start), the wall time and the child's
  peak RSS (so each step's memory is its own). ``source=url`` adds a second database as alias "source".
* ``ctx.load(size=None, fmt="json")``: a database holding the generated workspace, imported once per run
  and shared by every benchmark; ``ctx.fresh_database()``: an empty migrated one (a copy of a template);
  ``ctx.map_file(fmt, size)``: the generated map file, cached under ``var/bench/maps/``.
* Every :class:`~benchmarks.harness.Result` carries its baseline measured in the same run (a plain
  Python loop, raw SQL, ``executemany``...): the ratio is what stays comparable across machines.

Environment: ``BENCH_SIZE`` (or ``make bench SIZE=M``; default L), ``BENCH_ONLY=import,export``
(module names), ``BENCH_DATABASE_URL=postgres://...`` (run on PostgreSQL: databases ``<name>_*`` are
created from a migrated template and dropped at the end), ``BENCH_RECORD=0`` (do not append to
docs/benchmarks.md).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import time
import traceback

from rich.console import Console

import benchmarks
from benchmarks import report
from benchmarks.harness import Context, Result


def discover(only: list[str]) -> list[str]:
    names = sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_"))
    if only:
        names = [n for n in names if any(o in n.removeprefix("bench_") for o in only)]
    return names


def backend_version(ctx: Context) -> str:
    if ctx.database_url:
        import psycopg

        with psycopg.connect(ctx.database_url.rsplit("/", 1)[0] + "/postgres") as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
        return f"PostgreSQL {version}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def main() -> int:
    console = Console(width=None if sys.stdout.isatty() else 160)
    size = (os.environ.get("BENCH_SIZE") or os.environ.get("SIZE") or "L").upper()
    only = [o.strip() for o in os.environ.get("BENCH_ONLY", "").split(",") if o.strip()]
    ctx = Context(size=size, database_url=os.environ.get("BENCH_DATABASE_URL") or None)
    version = backend_version(ctx)
    console.print(f"[bold]Mue benchmarks[/]: size {size}, {version}")
    started = time.perf_counter()
    results: list[Result] = []
    failed = False
    try:
        for name in discover(only):
            console.print(f"[bold]{name}[/]")
            module_started = time.perf_counter()
            try:
                module_results = importlib.import_module(f"benchmarks.{name}").run(ctx)
            except Exception as exc:  # one broken benchmark must not hide the others' figures
                failed = True
                console.print(f"[red]{name} failed: {exc}[/]")
                traceback.print_exc()
                module_results = [Result(name, 0, "", note=f"failed: {str(exc).splitlines()[0][:160]}")]
            for result in module_results:
                report.print_result(console, result)
            console.print(f"  ({time.perf_counter() - module_started:.0f} s)")
            results.extend(module_results)
    finally:
        ctx.close()
    seconds = time.perf_counter() - started
    console.print(report.table(results))
    console.print(f"whole run: {seconds:.0f} s")
    if os.environ.get("BENCH_RECORD", "1") != "0" and results:
        path = report.append(report.markdown(ctx, results, seconds, version))
        console.print(f"recorded in {path.relative_to(report.ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
