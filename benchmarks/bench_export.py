"""Export of the generated workspace (``mue export``) as JSON and YAML, against reading its rows raw."""

from __future__ import annotations

from benchmarks.harness import Context, Result

TARGET_SECONDS = 10.0


def run(ctx: Context) -> list[Result]:
    loaded = ctx.load(fmt="json")
    out = ctx.step("benchmarks.steps:export", loaded.url, workspace=loaded.workspace)
    data, raw = out.data, out.data["raw_seconds"]
    target = f"≤ {TARGET_SECONDS:g} s"
    return [
        Result(f"export {ctx.size} as JSON", data["json_seconds"], "s", baseline=raw, target=target,
               met=data["json_seconds"] <= TARGET_SECONDS, peak_rss_mb=out.peak_rss_mb,
               note=f"{data['json_bytes'] / 1e6:.1f} MB; document built in {data['build_seconds']:.1f} s; "
                    f"baseline: the same rows read with raw SQL"),
        Result(f"export {ctx.size} as YAML", data["yaml_seconds"], "s", baseline=raw, target=target,
               met=data["yaml_seconds"] <= TARGET_SECONDS, peak_rss_mb=out.peak_rss_mb,
               note=f"{data['yaml_bytes'] / 1e6:.1f} MB"),
        # The same document as ArchiMate, with the graph and one laid-out view per critical service.
        Result(f"export {ctx.size} as ArchiMate", data["archimate_seconds"], "s", baseline=data["json_seconds"],
               target=target, met=data["archimate_seconds"] <= TARGET_SECONDS, peak_rss_mb=out.peak_rss_mb,
               note=f"{data['archimate_bytes'] / 1e6:.1f} MB; baseline: the JSON export of the same workspace"),
    ]
