"""The register's web pages as served: lists and a detail page under 20 concurrent clients, against their SQL.

gunicorn (docs/deployment.md's shape: a worker per core, one thread each; ``BENCH_PAGES_WORKERS`` /
``BENCH_PAGES_THREADS`` to try another) serves the
loaded workspace on a free loopback port with DEBUG off; 20 client threads send 200 requests per page
(30 s at most). The figure is the p95 of the server time (``Server-Timing`` of
:mod:`mue.web.timing`: the whole request, rendering included); the baseline is the p95 of the page's
main SQL statement run by 20 threads of one process, each through its own connection. Query counts of
every page are compared with those of a smaller workspace (S; M when the run is S): they must be equal.
"""

from __future__ import annotations

from benchmarks.harness import Context, Result
from benchmarks.steps_pages import server_shape

TARGET_MS = 150.0


def run(ctx: Context) -> list[Result]:
    loaded = ctx.load(fmt="json")
    workers, threads = server_shape()
    out = ctx.step("benchmarks.steps_pages:serve_pages", loaded.url, workspace=loaded.workspace,
                   workers=workers, threads=threads)
    results = []
    for label, page in out.data["pages"].items():
        server, client, db, sql = page["server"], page["client"], page["db"], page["sql"]
        note = (f"{page['rows']:,} rows; server median {server['median']:.1f} ms, alone {page['alone_ms']:.1f} ms, "
                f"SQL share p95 {db['p95']:.1f} ms; client median {client['median']:.0f} / p95 {client['p95']:.0f} ms; "
                f"{page['queries_in_process']} queries; {page['requests']} requests in {page['wall_s']:.1f} s; "
                f"main SQL median {sql['median']:.2f} ms")
        results.append(Result(f"page {label}", server["p95"], "ms", baseline=sql["p95"] or None,
                              target=f"p95 ≤ {TARGET_MS:g} ms", met=server["p95"] <= TARGET_MS,
                              peak_rss_mb=out.peak_rss_mb if not results else None, note=note))
    if results:
        results[0].note += (f"; {out.data['server']}, {out.data['clients']} clients; load average "
                            f"{out.data['load_before']:.1f} before, {out.data['load_after']:.1f} after")
    for label, page in out.data["broken"].items():
        results.append(Result(f"page {label}", 0, "ms", target=f"p95 ≤ {TARGET_MS:g} ms", met=False,
                              note=f"failed: {page['path']} {page['error']}"))
    results.append(_query_counts(ctx, out.data["pages"]))  # pages that answered only
    return results


def _query_counts(ctx: Context, pages: dict) -> Result:
    """Pages whose query count differs between this size and a smaller one (the target is none)."""
    other = "M" if ctx.size == "S" else "S"
    small = ctx.load(size=other, fmt="json")
    counts = ctx.step("benchmarks.steps_pages:page_queries", small.url, workspace=small.workspace).data
    differing, shown = [], []
    for page in pages.values():
        key = page["key"]
        if "queries_in_process" not in page:
            continue
        theirs = counts.get(key, {}).get("queries")
        shown.append(f"{key} {page['queries_in_process']}/{theirs}")
        if theirs != page["queries_in_process"]:
            differing.append(key)
    return Result(f"page query counts {ctx.size} vs {other}", len(differing), "pages differing", target="0",
                  met=not differing, note="; ".join(shown))
