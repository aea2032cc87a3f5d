"""Dependency graph: building it, impact queries from 1,000 random starts, and the other analyses.

Baselines measured in the same run: for the build, the same rows read with raw SQL (the very
statements the build sends); for impact, a bare breadth-first search over the same CSR arrays
(``scipy.sparse.csgraph.breadth_first_order``), which has no edge kinds, no stop rules, no paths and
no summary. The measured step lives here too (``benchmarks.bench_graph:measure``, run in a child).
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from benchmarks.harness import Context, Result

BUILD_TARGET_S = 1.0
IMPACT_TARGET_MS = 50.0
STARTS = 1000
BUILD_RUNS = 3


def run(ctx: Context) -> list[Result]:
    loaded = ctx.load(fmt="json")
    out = ctx.step("benchmarks.bench_graph:measure", loaded.url, workspace=loaded.workspace)
    d = out.data
    size = ctx.size
    shape = f"{d['nodes']:,} nodes, {d['edges']:,} edges"
    return [
        Result(f"graph build {size}", d["build_seconds"], "s", baseline=d["raw_read_seconds"],
               target=f"≤ {BUILD_TARGET_S:g} s", met=d["build_seconds"] <= BUILD_TARGET_S,
               peak_rss_mb=out.peak_rss_mb,
               note=f"{shape}; {d['queries']} queries; median of {BUILD_RUNS}; baseline: the same SQL, rows fetched"),
        Result(f"impact query {size}, p95 of {STARTS:,}", d["impact_p95_ms"], "ms", baseline=d["bfs_p95_ms"],
               target=f"≤ {IMPACT_TARGET_MS:g} ms", met=d["impact_p95_ms"] <= IMPACT_TARGET_MS,
               note=f"p50 {d['impact_p50_ms']:.2f} ms, max {d['impact_max_ms']:.1f} ms, "
                    f"mean reach {d['mean_reached']:,.0f} objects (data flows followed); "
                    f"baseline: scipy breadth_first_order p95 on the same CSR"),
        Result(f"impact query {size}, structural only, p95", d["impact_structural_p95_ms"], "ms",
               baseline=d["bfs_structural_p95_ms"], target=f"≤ {IMPACT_TARGET_MS:g} ms",
               met=d["impact_structural_p95_ms"] <= IMPACT_TARGET_MS,
               note="--no-data; baseline: scipy BFS on the structural edges"),
        Result(f"criticality propagation {size}", d["propagation_seconds"], "s",
               note="inherited needs of every application and asset"),
        Result(f"single points of failure {size}", d["spof_seconds"], "s",
               note=f"{d['spof_count']:,} found for services of criticality ≥ 3, with their paths"),
        Result(f"lineage {size} (busiest category)", d["lineage_seconds"], "s",
               note=f"{d['lineage_reached']:,} objects reached; flow categories loaded once before "
                    f"({d['flow_data_seconds']:.2f} s)"),
    ]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(workspace: str) -> dict[str, Any]:
    """The measured step (in a child process with Django set up on the loaded database)."""
    import numpy as np
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import breadth_first_order

    from mue.core.models import Workspace
    from mue.graph.build import DATA, build_graph
    from mue.graph.lineage import lineage
    from mue.graph.propagation import inherited_arrays
    from mue.graph.spof import single_points_of_failure
    from mue.graph.traverse import impact

    ws = Workspace.objects.get(slug=workspace)
    build_graph(ws)  # warm-up: connection, caches
    builds = []
    for _ in range(BUILD_RUNS):
        started = time.perf_counter()
        graph = build_graph(ws)
        _ = graph.backward, graph.forward  # the adjacency is part of building
        builds.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as captured:
        build_graph(ws)
    statements = [q["sql"] for q in captured.captured_queries]
    raw = []
    for _ in range(BUILD_RUNS):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
        raw.append(time.perf_counter() - started)

    rng = np.random.default_rng(1)
    starts = [int(s) for s in rng.integers(0, len(graph), STARTS)]

    def timed_impacts(include_data: bool) -> tuple[list[float], list[int]]:
        times, reached = [], []
        for node in starts:
            started = time.perf_counter()
            result = impact(graph, node, include_data=include_data)
            _ = result.reached, result.worst_criticality, result.shortest_rto
            times.append((time.perf_counter() - started) * 1000)
            reached.append(len(result.reached))
        return times, reached

    def timed_bfs(keep: np.ndarray) -> list[float]:
        b = graph.backward
        rows = np.repeat(np.arange(len(graph)), np.diff(b.indptr))[keep]
        matrix = csr_matrix((np.ones(int(keep.sum()), dtype=np.float32), (rows, b.indices[keep])),
                            shape=(len(graph), len(graph)))
        times = []
        for node in starts:
            started = time.perf_counter()
            breadth_first_order(matrix, node, directed=True, return_predecessors=True)
            times.append((time.perf_counter() - started) * 1000)
        return times

    impact_ms, reached = timed_impacts(True)
    structural_ms, _reached = timed_impacts(False)
    bfs_ms = timed_bfs(np.ones(len(graph.backward.indices), dtype=bool))
    bfs_structural_ms = timed_bfs(graph.backward.kinds != DATA)

    started = time.perf_counter()
    inherited_arrays(graph)
    propagation = time.perf_counter() - started
    started = time.perf_counter()
    points = single_points_of_failure(graph)
    spof = time.perf_counter() - started
    started = time.perf_counter()
    carried = graph.flow_data()
    flow_data = time.perf_counter() - started
    busiest = int(np.bincount(carried[:, 1], minlength=len(graph.categories)).argmax()) if len(carried) else 0
    started = time.perf_counter()
    traced = lineage(graph, graph.categories[busiest][1]) if graph.categories else None
    lineage_seconds = time.perf_counter() - started

    return {
        "nodes": len(graph), "edges": int(len(graph.src)), "queries": len(statements),
        "build_seconds": statistics.median(builds), "raw_read_seconds": statistics.median(raw),
        "impact_p50_ms": _percentile(impact_ms, 0.5), "impact_p95_ms": _percentile(impact_ms, 0.95),
        "impact_max_ms": max(impact_ms), "mean_reached": statistics.mean(reached),
        "impact_structural_p95_ms": _percentile(structural_ms, 0.95),
        "bfs_p95_ms": _percentile(bfs_ms, 0.95), "bfs_structural_p95_ms": _percentile(bfs_structural_ms, 0.95),
        "propagation_seconds": propagation, "spof_seconds": spof, "spof_count": len(points),
        "flow_data_seconds": flow_data, "lineage_seconds": lineage_seconds,
        "lineage_reached": int(len(traced.reached)) if traced else 0,
    }
