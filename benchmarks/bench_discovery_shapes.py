"""Discovery on the shapes that cost the most, and every log format against a plain Python loop.

Two Squid shapes, end to end (reading, matching, storing into a fresh database), 2 million lines each
(``BENCH_DISCOVERY_SHAPE_LINES``):

* *distinct pairs*: 800 users, 3,000 hosts drawn at random, one day: nearly every line a new (user, host) pair;
* *a realistic week*: 200 users, 30,000 hosts, 7 days (about 670,000 distinct day x user x host).

Targets: ≥ 1,000,000 lines/s end to end and ≤ 500 MB of peak memory for each.

Then each other format (Zeek ssl.log, Pi-hole, AdGuard Home, Unbound, BIND, CSV), 1 million lines
(``BENCH_DISCOVERY_FORMAT_LINES``): ``mue discover`` end to end against a plain Python loop that reads the same
file and takes the host out of each line. Target: ≥ 1,000,000 lines/s. Logs are generated (seeded) under
``var/bench/discovery/``.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

from benchmarks.harness import Context, Result

TARGET_RATE = 1_000_000
MEMORY_MB = 500
START = 1_700_000_000.0


def _hosts(rng: random.Random, count: int, known_share: float) -> list[str]:
    from mue.discovery.catalogue import shipped

    known = sorted(d for s in shipped() for d in s.domains if not d.startswith("=") and s.kind == "application")
    hosts = [f"www.{d}" for d in rng.sample(known, min(int(count * known_share), len(known)))]
    return hosts + [f"site{i}.example{i % 97}.net" for i in range(count - len(hosts))]


def _write(path: Path, lines: int, make_line) -> Path:
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name("partial-" + path.name)
    with partial.open("w", encoding="ascii") as fh:
        for start in range(0, lines, 100_000):
            fh.write("".join(make_line(i) for i in range(start, min(lines, start + 100_000))))
    partial.rename(path)
    return path


def squid_shape(ctx: Context, name: str, lines: int, users: int, hosts: int, days: int, known: float) -> Path:
    rng = random.Random(7)
    names, people = _hosts(rng, hosts, known), [f"user{i}" for i in range(users)]
    step = days * 86400 / lines

    def line(i: int) -> str:
        return (f"{START + i * step:.3f}     12 10.0.{i % 200}.{i % 250} TCP_TUNNEL/200 {rng.randrange(100_000)} "
                f"CONNECT {names[rng.randrange(hosts)]}:443 {people[rng.randrange(users)]} HIER_DIRECT/192.0.2.1 -\n")

    return _write(ctx.work_dir / "discovery" / f"{name}-{lines}.log", lines, line)


def _clock(i: int) -> str:
    """The time of day of line ``i`` (one line every 50 ms from midnight) as HH:MM:SS."""
    seconds = int(i * 0.05) % 86400
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def format_log(ctx: Context, fmt: str, lines: int) -> Path:
    rng = random.Random(11)
    names = _hosts(rng, 3000, 0.2)
    path = ctx.work_dir / "discovery" / f"{fmt}-{lines}.log"
    if fmt == "zeek-ssl":
        header = ("#separator \\x09\n#unset_field\t-\n#path\tssl\n"
                  "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tversion\tserver_name\testablished\n"
                  "#types\ttime\tstring\taddr\tport\taddr\tport\tstring\tstring\tbool\n")

        def line(i: int) -> str:
            name = names[rng.randrange(3000)] if i % 3 else "-"  # a third without a server name, as real logs
            return (("" if i else header) + f"{START + i * 0.05:.6f}\tC{i:x}\t10.0.{i % 50}.{i % 200}"
                    f"\t{40000 + i % 9000}\t203.0.113.{i % 250}\t443\tTLSv13\t{name}\tT\n")
    elif fmt == "pihole":
        def line(i: int) -> str:
            return (f"Nov 14 {_clock(i)} dnsmasq[812]: "
                    f"query[A] {names[rng.randrange(3000)]} from 192.168.1.{i % 200}\n")
    elif fmt == "adguard":
        def line(i: int) -> str:
            return (f'{{"IP":"192.168.1.{i % 200}","T":"2023-11-14T{_clock(i)}.{i % 10**9:09d}+01:00",'
                    f'"QH":"{names[rng.randrange(3000)]}","QT":"A",'
                    f'"QC":"IN","CP":"","Upstream":"https://dns10.quad9.net:443/dns-query","Answer":"",'
                    f'"Result":{{}},"Elapsed":{i % 99991}}}\n')
    elif fmt == "unbound":
        def line(i: int) -> str:
            return (f"[{int(START + i * 0.05)}] unbound[812:0] info: 192.168.1.{i % 200} "
                    f"{names[rng.randrange(3000)]}. A IN\n")
    elif fmt == "bind":
        def line(i: int) -> str:
            return (f"14-Nov-2023 {_clock(i)}.123 client "
                    f"@0x7f1c2c0a4b68 192.168.1.{i % 200}#53411 ({(name := names[rng.randrange(3000)])}): "
                    f"query: {name} IN A + (192.0.2.1)\n")
    else:  # csv
        def line(i: int) -> str:
            head = "timestamp,user,host,bytes\n" if i == 0 else ""
            return head + f"{START + i * 0.05:.3f},user{i % 300}@example.org,{names[rng.randrange(3000)]},{i % 5000}\n"
    return _write(path, lines, line)


def discover_step(path: str) -> dict:
    """Child process: ``mue discover`` end to end into the step's (fresh) database."""
    from mue.core.models import Workspace
    from mue.discovery.runner import run_discovery

    workspace = Workspace.objects.create(slug="bench-discovery", name="Bench")
    clock = time.perf_counter()
    _, report = run_discovery(workspace, [Path(path)])
    return {"seconds": time.perf_counter() - clock, "lines": report["lines"],
            "read_seconds": report["read_seconds"], "store_seconds": report["store_seconds"]}


def loop_step(path: str, fmt: str) -> dict:
    """Child process: the plain Python loop over the same file, taking each line's host."""
    clock = time.perf_counter()
    hosts: dict[str, int] = {}
    lines = 0
    column = {"zeek-ssl": 7, "pihole": 6, "unbound": 4, "bind": 7}.get(fmt)
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if fmt == "csv":
                fields = line.split(",")
                host = fields[2] if len(fields) > 3 else ""
            elif fmt == "adguard":
                after = line.split('"QH":"', 1)
                host = after[1].split('"', 1)[0] if len(after) > 1 else ""
            elif fmt == "zeek-ssl":
                if line.startswith("#"):
                    continue
                fields = line.split("\t")
                host = fields[column] if len(fields) > column else ""
            else:
                fields = line.split()
                host = fields[column] if len(fields) > column else ""
            hosts[host] = hosts.get(host, 0) + 1
            lines += 1
    return {"seconds": time.perf_counter() - clock, "lines": lines}


def run(ctx: Context) -> list[Result]:
    lines = int(os.environ.get("BENCH_DISCOVERY_SHAPE_LINES", "2000000"))
    results = []
    for label, path in (
        ("a new (user, host) pair nearly every line: 800 users, 3,000 hosts",
         squid_shape(ctx, "squid-distinct-pairs", lines, 800, 3000, 1, 0.1)),
        ("a realistic week: 200 users, 30,000 hosts, 7 days",
         squid_shape(ctx, "squid-week", lines, 200, 30000, 7, 0.3)),
    ):
        out = ctx.step("benchmarks.bench_discovery_shapes:discover_step", ctx.fresh_database(), path=str(path))
        rate = round(out.data["lines"] / out.data["seconds"])
        note = f"read+match {out.data['read_seconds']} s, store {out.data['store_seconds']} s"
        results.append(Result(f"discover Squid, {label} ({out.data['lines']:,} lines)", rate, "lines/s",
                              target=f"≥ {TARGET_RATE:,} lines/s end to end", met=rate >= TARGET_RATE,
                              higher_is_better=True, peak_rss_mb=out.peak_rss_mb, note=note))
        results.append(Result(f"discover Squid, {label}: peak memory", out.peak_rss_mb, "MB",
                              target=f"≤ {MEMORY_MB} MB", met=out.peak_rss_mb <= MEMORY_MB))
    count = int(os.environ.get("BENCH_DISCOVERY_FORMAT_LINES", "1000000"))
    for fmt in ("zeek-ssl", "pihole", "adguard", "unbound", "bind", "csv"):
        path = format_log(ctx, fmt, count)
        out = ctx.step("benchmarks.bench_discovery_shapes:discover_step", ctx.fresh_database(), path=str(path))
        base = ctx.step("benchmarks.bench_discovery_shapes:loop_step", ctx.fresh_database(), path=str(path), fmt=fmt)
        rate = round(out.data["lines"] / out.data["seconds"])
        results.append(Result(f"discover {fmt} ({out.data['lines']:,} lines)", rate, "lines/s",
                              baseline=round(base.data["lines"] / base.data["seconds"]),
                              target=f"≥ {TARGET_RATE:,} lines/s end to end", met=rate >= TARGET_RATE,
                              higher_is_better=True, peak_rss_mb=out.peak_rss_mb,
                              note="baseline: a plain Python loop taking each line's host"))
    return results
