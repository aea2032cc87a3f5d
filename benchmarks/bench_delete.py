"""``workspace delete``: deleting the generated workspace (objects, links, side tables, change log),
against the bare DELETE statements it sends, each on its own copy of the loaded database."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.harness import Context, Result, _db_name

TARGET_SECONDS = 5.0


def _copy(ctx: Context, url: str, suffix: str) -> str:
    """A copy of a loaded database (deleting must not empty the one other benchmarks share)."""
    name = f"{ctx.run_id}_delete_{suffix}"
    if ctx.database_url:
        copy = ctx._pg_url(f"{ctx._pg_base()}_{name}")
        ctx._pg_admin(f'DROP DATABASE IF EXISTS "{_db_name(copy)}"',
                      f'CREATE DATABASE "{_db_name(copy)}" TEMPLATE "{_db_name(url)}"')
    else:
        copy = ctx._sqlite_url(name)
        source, target = Path(urlsplit(url).path), Path(urlsplit(copy).path)
        for end in ("", "-wal", "-shm"):
            Path(f"{target}{end}").unlink(missing_ok=True)
            if Path(f"{source}{end}").exists():
                shutil.copyfile(f"{source}{end}", f"{target}{end}")
    ctx._databases.append(copy)
    return copy


def run(ctx: Context) -> list[Result]:
    loaded = ctx.load(fmt="json")
    baseline = ctx.step("benchmarks.steps_deletion:raw_deletes", _copy(ctx, loaded.url, "raw"),
                        workspace=loaded.workspace)
    out = ctx.step("benchmarks.steps_deletion:delete_workspace", _copy(ctx, loaded.url, "mue"),
                   workspace=loaded.workspace)
    seconds = out.data["seconds"]
    return [Result(f"workspace delete {ctx.size}", seconds, "s", baseline=baseline.data["seconds"],
                   target=f"≤ {TARGET_SECONDS:g} s", met=seconds <= TARGET_SECONDS, peak_rss_mb=out.peak_rss_mb,
                   note=f"{out.data['rows']:,} rows from {out.data['tables']} tables; baseline: the same "
                        "DELETE statements through the DB-API cursor")]
