"""The workspace dashboard and the advisor's cockpit as served (gunicorn, 20 concurrent clients).

The figure is the p95 of the server time (``Server-Timing``: the whole request, rendering included)
of the dashboard of the loaded workspace (audited twice), of the cockpit of its member, and of the
cockpit of a member of 50 workspaces of size M (audited twice each). Target ≤ 300 ms. The dashboard's
single points of failure are computed once per state of the register (cache), so the steady-state
figure is what a user sees after the first visit following a change; that first visit costs the
graph's build and analysis (see the graph benchmarks).
"""

from __future__ import annotations

from benchmarks.harness import Context, Result
from benchmarks.steps_pages import server_shape

TARGET_MS = 300.0


def _result(name: str, page: dict, note: str = "", rss: float | None = None) -> Result:
    server = page["server"]
    return Result(name, server["p95"], "ms", target=f"p95 ≤ {TARGET_MS:g} ms", met=server["p95"] <= TARGET_MS,
                  peak_rss_mb=rss,
                  note=(f"server median {server['median']:.1f} ms, alone {page['alone_ms']:.1f} ms, SQL share p95 "
                        f"{page['db']['p95']:.1f} ms; {page['queries']} queries; {page['requests']} requests in "
                        f"{page['wall_s']:.1f} s" + (f"; {note}" if note else "")))


def run(ctx: Context) -> list[Result]:
    workers, threads = server_shape()
    loaded = ctx.load(fmt="json")
    out = ctx.step("benchmarks.steps_dashboard:serve_dashboard", loaded.url, workspace=loaded.workspace,
                   workers=workers, threads=threads)
    context = f"{out.data['server']}, 20 clients; load average {out.data['load_before']:.1f} before"
    results = [_result(f"dashboard {ctx.size}", out.data["pages"]["dashboard"], context, out.peak_rss_mb),
               _result(f"cockpit, 1 workspace {ctx.size}", out.data["pages"]["cockpit"])]
    many = ctx.step("benchmarks.steps_dashboard:serve_cockpit_many", ctx.fresh_database(),
                    map_path=str(ctx.map_file("json", "M")), workers=workers, threads=threads)
    results.append(_result("cockpit, 50 workspaces M", many.data["pages"]["cockpit"],
                           f"load average {many.data['load_before']:.1f} before", many.peak_rss_mb))
    return results
