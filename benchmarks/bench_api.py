"""The REST API as served: list of 100 objects of every type (first and last page) under 20 concurrent
clients against the bare SQL of its page, and a bulk upsert of 10,000 applications (see steps_api)."""

from __future__ import annotations

from benchmarks.harness import Context, Result
from benchmarks.steps_pages import server_shape

TARGET_MS = 50.0
BULK_TARGET = 5000.0


def run(ctx: Context) -> list[Result]:
    loaded = ctx.load(fmt="json")
    workers, threads = server_shape()
    out = ctx.step("benchmarks.steps_api:serve_api", loaded.url, workspace=loaded.workspace,
                   workers=workers, threads=threads)
    results = []
    for label, page in out.data["pages"].items():
        server = page["server"]
        results.append(Result(label, server["p95"], "ms", baseline=page["sql"]["p95"] or None,
                              target=f"p95 ≤ {TARGET_MS:g} ms", met=server["p95"] <= TARGET_MS and
                              page["statuses"] == [200],
                              note=f"{page['rows']:,} rows; median {server['median']:.1f} ms; client p95 "
                                   f"{page['client']['p95']:.0f} ms; {page['queries']} queries; "
                                   f"{page['requests']} requests; {out.data['server']}"))
    for label, error in out.data["broken"].items():
        results.append(Result(label, 0, "ms", target=f"p95 ≤ {TARGET_MS:g} ms", met=False, note=error))
    bulk = out.data["bulk"]
    rate = bulk["objects"] / bulk["seconds"] if bulk["status"] == 200 else 0.0
    results.append(Result("API bulk upsert of 10,000 applications", rate, "objects/s",
                          target=f"≥ {BULK_TARGET:,.0f} objects/s", met=rate >= BULK_TARGET,
                          note=f"{bulk['seconds']:.2f} s, HTTP {bulk['status']}: {bulk['answer'][:120]}"))
    return results
