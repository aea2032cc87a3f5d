"""Printing results as they come and appending the run's table to docs/benchmarks.md."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.harness import ROOT, Context, Result

DOC = ROOT / "docs" / "benchmarks.md"
MARKER = "<!-- bench runs are appended below by `make bench` -->"


def figure(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    if unit in ("rows/s", "MB") or abs(value) >= 1000:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.3g}" if value else "0"
    return f"{text} {unit}".strip()


def met_text(result: Result) -> str:
    if result.note.startswith("failed"):
        return "failed"
    return "–" if result.met is None else ("met" if result.met else "MISSED")


def ratio_text(result: Result) -> str:
    return "–" if result.ratio is None else f"{result.ratio:.2f}×"


def print_result(console: Console, result: Result) -> None:
    console.print(f"  {result.name}: [bold]{figure(result.figure, result.unit)}[/]"
                  f" (baseline {figure(result.baseline, result.unit)}, ratio {ratio_text(result)})"
                  f" {met_text(result)}", highlight=False)


def table(results: list[Result]) -> Table:
    t = Table(title="Mue benchmarks")
    for column in ("benchmark", "figure", "baseline", "ratio", "peak RSS", "target", "met"):
        t.add_column(column, justify="left" if column in ("benchmark", "target") else "right")
    for r in results:
        style = "red" if r.met is False or r.note.startswith("failed") else None
        t.add_row(r.name, figure(r.figure, r.unit), figure(r.baseline, r.unit), ratio_text(r),
                  figure(r.peak_rss_mb, "MB"), r.target, met_text(r), style=style)
    return t


def machine(ctx: Context) -> str:
    cpus = os.cpu_count()
    memory = ""
    try:
        kb = int(next(line for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")).split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{platform.machine()} {cpus} cores{memory}, {platform.system()} {platform.release()}, " \
           f"Python {platform.python_version()}"


def commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{head}{' (+ uncommitted changes)' if git('status', '--porcelain', '--', 'src', 'benchmarks') else ''}"


def markdown(ctx: Context, results: list[Result], seconds: float, backend_version: str) -> str:
    now = dt.datetime.now().astimezone()
    lines = [
        f"### {now:%Y-%m-%d %H:%M %Z}: size {ctx.size}, {backend_version}",
        "",
        f"Machine: {machine(ctx)}. Commit {commit()}. Whole run: {seconds:.0f} s.",
        "",
        "| benchmark | figure | baseline | ratio | peak RSS | target | met | note |",
        "|---|---:|---:|---:|---:|---|---|---|",
    ]
    for r in results:
        lines.append(f"| {r.name} | {figure(r.figure, r.unit)} | {figure(r.baseline, r.unit)} | {ratio_text(r)} | "
                     f"{figure(r.peak_rss_mb, 'MB')} | {r.target} | {met_text(r)} | {r.note.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def append(text: str) -> Path:
    """Append a run's table to docs/benchmarks.md (after the marker; the file is made if missing)."""
    DOC.parent.mkdir(parents=True, exist_ok=True)
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else f"# Benchmarks\n\n{MARKER}\n"
    if MARKER not in current:
        current = current.rstrip("\n") + f"\n\n{MARKER}\n"
    DOC.write_text(current.rstrip("\n") + "\n\n" + text, encoding="utf-8")
    return DOC
