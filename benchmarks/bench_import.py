"""Bulk import of the generated workspace from JSON, YAML and CSV, against raw ``executemany``.

Rows = register objects + link rows (many-to-many, document links), all written by the import; the
import also writes one change-log entry per object, and so does the baseline (same rows, same
tables, inserted again with DB-API ``executemany`` into an empty database in one transaction).
"""

from __future__ import annotations

from benchmarks.harness import Context, Result, StepFailed, generator_version

RATE_TARGET = 50_000  # rows/s
RATIO_TARGET = 3.0  # times the raw baseline
RSS_TARGET_MB = 1024


def run(ctx: Context) -> list[Result]:
    loaded = ctx.load(fmt="json")
    rows = loaded.output.data["rows"]
    baseline = ctx.step("benchmarks.steps:baseline_insert", ctx.fresh_database(), source=loaded.url)
    base_rate = rows / baseline.data["seconds"]
    results = [Result(f"raw executemany baseline ({rows:,} rows + {baseline.data['log_rows']:,} log rows)",
                      base_rate, "rows/s", peak_rss_mb=baseline.peak_rss_mb, higher_is_better=True)]
    results += _import_results(ctx, "JSON", loaded.output.data, base_rate, loaded.output.peak_rss_mb)

    yaml = ctx.step("benchmarks.steps:import_map", ctx.fresh_database(), path=str(ctx.map_file("yaml")))
    results += _import_results(ctx, "YAML", yaml.data, base_rate, yaml.peak_rss_mb)

    tables = ctx.work_dir / "maps" / f"csv-{ctx.size}-{generator_version()}"
    try:
        if not (tables / "flows.csv").exists():
            ctx.step("benchmarks.steps:write_tables", ctx.fresh_database(), map_path=str(ctx.map_file("json")),
                     directory=str(tables))
        csv = ctx.step("benchmarks.steps:import_tables", ctx.fresh_database(), directory=str(tables),
                       workspace=ctx.workspace_slug())
    except StepFailed as exc:
        last = str(exc).strip().splitlines()[-1][:160]
        results.append(Result("import CSV (one file per type)", 0, "rows/s", note=f"failed: {last}"))
    else:
        results += _import_results(ctx, "CSV (one file per type)", csv.data, base_rate, csv.peak_rss_mb)
    return results


def _import_results(ctx: Context, label: str, data: dict, base_rate: float, rss: float) -> list[Result]:
    rate = data["rows"] / data["seconds"]
    ratio = base_rate / rate
    note = f"{data['objects']:,} objects + {data['links']:,} links in {data['seconds']:.1f} s"
    if "parse_seconds" in data:
        note += f" (parse {data['parse_seconds']:.1f} s, pipeline {data['import_seconds']:.1f} s)"
    results = [
        Result(f"import {ctx.size} from {label}", rate, "rows/s", baseline=base_rate, higher_is_better=True,
               target=f"≥ {RATE_TARGET:,} rows/s, ≤ {RATIO_TARGET:g}× baseline",
               met=rate >= RATE_TARGET and ratio <= RATIO_TARGET, peak_rss_mb=rss, note=note),
        Result(f"peak RSS, import {ctx.size} from {label}", rss, "MB", target=f"≤ {RSS_TARGET_MB} MB",
               met=rss <= RSS_TARGET_MB),
    ]
    if "parse_seconds" in data:
        pipeline = data["rows"] / data["import_seconds"]
        results.insert(1, Result(f"import {ctx.size} from {label}, pipeline only (parsed document)", pipeline,
                                 "rows/s", baseline=base_rate, higher_is_better=True,
                                 target=f"≥ {RATE_TARGET:,} rows/s, ≤ {RATIO_TARGET:g}× baseline",
                                 met=pipeline >= RATE_TARGET and base_rate / pipeline <= RATIO_TARGET))
    return results
