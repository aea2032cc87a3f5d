"""One discovery run end to end, shared by the CLI and tests: read, aggregate, store, report."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from mue.discovery.catalogue import for_workspace
from mue.discovery.engine import discover, unaccounted
from mue.discovery.models import DiscoveryRun
from mue.discovery.readers.base import Progress
from mue.discovery.results import discovered, service_rows
from mue.discovery.store import pseudonymiser_for, save, settings_for

STORED_UNKNOWN = 500  # unknown domains kept in the stored report (the --json file has them all)


def _stored_samples(samples: list[dict], allow_names: bool) -> list[dict]:
    # A malformed line may hold a user name: the stored report keeps where and why, and the text only when the DPO
    # allowed names. The CLI shows the full samples of the run it just made.
    if allow_names:
        return samples
    return [{k: v for k, v in s.items() if k != "text"} | {"length": len(s.get("text", ""))} for s in samples]


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """A run builds hundreds of thousands of small containers (totals, usage cells, rows) that hold no reference
    cycle; Python's cycle collector would walk them again and again as they pile up (a third of the fold's time).
    It is paused for the run and resumes after it, collecting whatever cycles the run left."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run_discovery(workspace, paths: list[Path], fmt: str = "auto", mapping: str | None = None,
                  progress: Progress | None = None, threads: int | None = None,
                  internal_domains: list[str] | None = None) -> tuple[DiscoveryRun, dict]:
    """Discover usage in the files and store it: :func:`_run_discovery`, without the cycle collector."""
    with _without_cycle_collection():
        return _run_discovery(workspace, paths, fmt, mapping, progress, threads, internal_domains)


def _run_discovery(workspace, paths: list[Path], fmt: str, mapping: str | None, progress: Progress | None,
                   threads: int | None, internal_domains: list[str] | None) -> tuple[DiscoveryRun, dict]:
    """Discover usage in the files and store it; returns the run and the full report (with sample texts).

    The report holds what the terminal shows: the accounting of every line read (per file and in total), every
    service found with its figures and register status, and every unknown domain. ``seconds`` and
    ``lines_per_second`` are end to end: reading, matching and storing. ``internal_domains`` add to the
    workspace's own (:attr:`DiscoverySettings.internal_domains`).
    """
    started = timezone.now()
    clock = time.perf_counter()
    catalogue = for_workspace(workspace.id)
    pseudonymise = pseudonymiser_for(workspace)
    internal = [*(settings_for(workspace).internal_domains or []), *(internal_domains or [])]
    discovery = discover(paths, catalogue, pseudonymise, fmt=fmt, mapping=mapping, progress=progress,
                         threads=threads, internal_domains=internal)
    read_seconds = time.perf_counter() - clock
    seen = {f.get("fingerprint") for files in DiscoveryRun.objects.filter(workspace=workspace)
            .values_list("files", flat=True) for f in (files or [])}
    warnings = [_("%(name)s was already read by an earlier run: its use is counted twice.") % {"name": f["name"]}
                for f in discovery.files if f["fingerprint"] in seen]
    accounting = dict(discovery.accounting, unaccounted=unaccounted(discovery.accounting))
    report = {
        "files": discovery.files, "lines": discovery.lines, "malformed": discovery.malformed,
        "bytes_read": discovery.bytes_read, "accounting": accounting,
        "matched_requests": discovery.matched_requests, "unmatched_requests": discovery.unmatched_requests,
        "top_unknown_domains": discovery.top_unknown(), "unknown_domain_count": len(discovery.unknown),
        "warnings": warnings, "pseudonymised": not pseudonymise.allow_names, "internal_domains": internal,
    }
    stored = dict(report, malformed_samples=_stored_samples(discovery.samples, pseudonymise.allow_names),
                  unknown_domains=discovery.unknown_domains(STORED_UNKNOWN))
    run = save(workspace, discovery, catalogue, started, pseudonymise, stored)
    services = discovered(run)
    rows = service_rows(services, catalogue)
    elapsed = time.perf_counter() - clock
    summary = {
        "services": len(services),
        "applications": sum(1 for s in services if s.is_application),
        "shadow_services": sum(1 for s in services if s.is_shadow),
        "seconds": round(elapsed, 3), "read_seconds": round(read_seconds, 3),
        "store_seconds": round(elapsed - read_seconds, 3),
        "lines_per_second": round(discovery.lines / elapsed) if elapsed > 0 else None,
    }
    run.report = {**stored, **summary}
    run.save(update_fields=["report"])
    return run, {**report, **summary, "service_list": rows, "unknown_domains": discovery.unknown_domains(),
                 "malformed_samples": discovery.samples}


def report_document(run: DiscoveryRun, report: dict) -> dict:
    """The run report as the ``--json`` file holds it: the same content as the terminal's tables, complete.

    ``applications`` are the services people use (with their register status), ``other_traffic`` what browsers and
    systems fetch on their own (advertising, CDNs, certificate checks, updates, embedded resources, vendor sign-in
    and websites), ``unknown_domains`` every domain the catalogue does not know, ``accounting`` where every line read
    went, in total and per file (see docs/discovery.md).
    """
    rows = report["service_list"]
    return {
        "run": run.id, "started": run.started.isoformat(),
        "summary": {key: report[key] for key in (
            "lines", "malformed", "bytes_read", "seconds", "read_seconds", "store_seconds", "lines_per_second",
            "services", "applications", "shadow_services", "unknown_domain_count", "pseudonymised")},
        "accounting": report["accounting"],
        "files": report["files"],
        "applications": [r for r in rows if r["kind"] == "application"],
        "other_traffic": [r for r in rows if r["kind"] != "application"],
        "unknown_domains": report["unknown_domains"],
        "internal_domains": report["internal_domains"],
        "warnings": report["warnings"],
        "malformed_samples": report["malformed_samples"],
    }
