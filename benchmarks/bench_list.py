"""The paginated list query of every type (the admin's, with its select_related), against its raw SQL.

First page and last page (offset pagination, 50 rows), median of 5 runs after a warm-up run.
"""

from __future__ import annotations

from benchmarks.harness import Context, Result

TARGET_MS = 50.0


def run(ctx: Context) -> list[Result]:
    loaded = ctx.load(fmt="json")
    out = ctx.step("benchmarks.steps:list_pages", loaded.url, workspace=loaded.workspace)
    results = []
    for key, figures in out.data.items():
        otype, page = key.split(":")
        results.append(Result(f"list {otype}, {page} page of {figures['rows']:,}", figures["orm_ms"], "ms",
                              baseline=figures["raw_ms"], target=f"≤ {TARGET_MS:g} ms",
                              met=figures["orm_ms"] <= TARGET_MS,
                              peak_rss_mb=out.peak_rss_mb if not results else None))
    return results
