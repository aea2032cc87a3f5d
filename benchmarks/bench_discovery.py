"""Usage discovery on a synthetic Squid access.log: end-to-end lines/s against a plain Python line loop.

The log is generated (seeded) under ``var/bench/discovery/``: 300 users, each visiting ~40 of 3,000 hosts (a tenth
of them catalogue services), 40 % CONNECT tunnels, the native format's padded elapsed field. Size: 1 GB by default,
``BENCH_DISCOVERY_GB=5`` for the 5 GB memory check. Both measures run in their own child process, in the same run:

* ``mue discover`` end to end (read, match, pseudonymise, aggregate, store into a fresh database);
* the baseline: ``for line in open(path)``, split, take the URL, cut the host out of it.

Targets: ≥ 1,000,000 lines/s and ≥ 3× the baseline; peak memory that does not grow with the file (streaming).
The two alternate ``BENCH_DISCOVERY_REPEAT`` times (default 3) and their medians are compared.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from pathlib import Path

from benchmarks.harness import Context, Result

TARGET_RATE = 1_000_000
TARGET_FACTOR = 3.0
MEMORY_MB = 1024


def _log(ctx: Context) -> tuple[Path, int]:
    gigabytes = float(os.environ.get("BENCH_DISCOVERY_GB", "1"))
    path = ctx.work_dir / "discovery" / f"squid-{gigabytes:g}GB-seed1.log"
    count_file = path.with_suffix(".lines")
    if path.exists() and count_file.exists():
        return path, int(count_file.read_text())
    path.parent.mkdir(parents=True, exist_ok=True)
    from mue.discovery.catalogue import shipped

    rng = random.Random(1)
    known = sorted(d for s in shipped() for d in s.domains if not d.startswith("="))
    hosts = [f"www.{d}" for d in rng.sample(known, 300)] + [f"site{i}.example.net" for i in range(2700)]
    users = [f"user{i}" for i in range(300)] + ["-"]
    visited = {u: rng.sample(hosts, 40) for u in users}
    # Pre-built line tails: the generator then only formats the time, so it writes ~100 MB/s.
    tails = []
    for _ in range(50_000):
        user = rng.choice(users)
        host = rng.choice(visited[user])
        client = f"10.0.{rng.randrange(256)}.{rng.randrange(256)}"
        if rng.random() < 0.4:
            request = f"TCP_TUNNEL/200 {rng.randrange(100_000)} CONNECT {host}:443"
        else:
            request = f"TCP_MISS/200 {rng.randrange(100_000)} GET http://{host}/p/{rng.randrange(10**6)}/i.html?q=1"
        tails.append(f" {rng.randrange(1, 99_999):6d} {client} {request} {user} HIER_DIRECT/192.0.2.1 text/html\n")
    target = int(gigabytes * (1 << 30))
    written = lines = 0
    start = 1_700_000_000.0
    partial = path.with_name("partial-" + path.name)
    with partial.open("w", encoding="ascii") as fh:
        while written < target:
            block = "".join(f"{start + (lines + i) * 0.004:.3f}{tails[(lines + i) % len(tails)]}"
                            for i in range(100_000))
            fh.write(block)
            written += len(block)
            lines += 100_000
    partial.rename(path)
    count_file.write_text(str(lines))
    return path, lines


def discover_step(path: str) -> dict:
    """Child process: ``mue discover`` end to end into the step's (fresh) database."""
    from mue.core.models import Workspace
    from mue.discovery.runner import run_discovery

    workspace = Workspace.objects.create(slug="bench-discovery", name="Bench")
    clock = time.perf_counter()
    run, report = run_discovery(workspace, [Path(path)])
    seconds = time.perf_counter() - clock
    return {"seconds": seconds, "lines": report["lines"], "services": report["services"], "malformed": run.malformed}


def baseline_step(path: str) -> dict:
    """Child process: a plain Python loop that extracts the host of every line of the same file."""
    clock = time.perf_counter()
    hosts: dict[str, int] = {}
    lines = 0
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            fields = line.split()
            if len(fields) < 7:
                continue
            url = fields[6]
            cut = url.find("://")
            if cut >= 0:
                url = url[cut + 3:]
            host = url.split("/", 1)[0].split(":", 1)[0]
            hosts[host] = hosts.get(host, 0) + 1
            lines += 1
    return {"seconds": time.perf_counter() - clock, "lines": lines, "hosts": len(hosts)}


def run(ctx: Context) -> list[Result]:
    path, lines = _log(ctx)
    size_gb = path.stat().st_size / (1 << 30)
    # The machine is shared: the two measures alternate, ``BENCH_DISCOVERY_REPEAT`` times each (3 by default), so a
    # burst of outside load hits both alike, and the medians are compared.
    repeat = max(1, int(os.environ.get("BENCH_DISCOVERY_REPEAT", "3")))
    engines, baselines = [], []
    for _ in range(repeat):
        engines.append(ctx.step("benchmarks.bench_discovery:discover_step", ctx.fresh_database(), path=str(path)))
        baselines.append(ctx.step("benchmarks.bench_discovery:baseline_step", ctx.fresh_database(), path=str(path)))
    rates = [e.data["lines"] / e.data["seconds"] for e in engines]
    base_rates = [b.data["lines"] / b.data["seconds"] for b in baselines]
    rate, base_rate = statistics.median(rates), statistics.median(base_rates)
    engine = engines[0]
    peak = max(e.peak_rss_mb for e in engines)
    met = rate >= TARGET_RATE and rate >= TARGET_FACTOR * base_rate
    millions = lambda values: ", ".join(f"{v / 1e6:.2f}" for v in values)  # noqa: E731
    spread = f"runs {millions(rates)} M/s vs loop {millions(base_rates)} M/s"
    return [
        Result(f"discover Squid {lines:,} lines ({size_gb:.1f} GB)", round(rate), "lines/s", baseline=round(base_rate),
               target=f"≥ {TARGET_RATE:,} lines/s and ≥ {TARGET_FACTOR:g}× the Python loop", met=met,
               higher_is_better=True, peak_rss_mb=peak,
               note=f"median of {repeat}; {spread}; {engine.data['services']} services; "
                    f"baseline peak {max(b.peak_rss_mb for b in baselines)} MB"),
        Result(f"discover Squid peak memory ({size_gb:.1f} GB log)", peak, "MB",
               target=f"≤ {MEMORY_MB} MB (streaming)", met=peak <= MEMORY_MB),
    ]
