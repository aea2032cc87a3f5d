"""One discovery run end to end, shared by the CLI and tests: read, aggregate, store, report."""

from __future__ import annotations

import time
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from mue.discovery.catalogue import for_workspace
from mue.discovery.engine import discover
from mue.discovery.models import DiscoveryRun
from mue.discovery.readers.base import Progress
from mue.discovery.store import pseudonymiser_for, save


def _stored_samples(samples: list[dict], allow_names: bool) -> list[dict]:
    # A malformed line may hold a user name: the stored report keeps where and why, and the text only when the DPO
    # allowed names. The CLI shows the full samples of the run it just made.
    if allow_names:
        return samples
    return [{k: v for k, v in s.items() if k != "text"} | {"length": len(s.get("text", ""))} for s in samples]


def run_discovery(workspace, paths: list[Path], fmt: str = "auto", mapping: str | None = None,
                  progress: Progress | None = None, threads: int | None = None) -> tuple[DiscoveryRun, dict]:
    """Discover usage in the files and store it; returns the run and the full report (with sample texts)."""
    started = timezone.now()
    clock = time.perf_counter()
    catalogue = for_workspace(workspace.id)
    pseudonymise = pseudonymiser_for(workspace)
    discovery = discover(paths, catalogue, pseudonymise, fmt=fmt, mapping=mapping, progress=progress,
                         threads=threads)
    seen = {f.get("fingerprint") for files in DiscoveryRun.objects.filter(workspace=workspace)
            .values_list("files", flat=True) for f in (files or [])}
    warnings = [_("%(name)s was already read by an earlier run: its use is counted twice.") % {"name": f["name"]}
                for f in discovery.files if f["fingerprint"] in seen]
    elapsed = time.perf_counter() - clock
    report = {
        "files": discovery.files, "lines": discovery.lines, "malformed": discovery.malformed,
        "bytes_read": discovery.bytes_read, "seconds": round(elapsed, 3),
        "lines_per_second": round(discovery.lines / elapsed) if elapsed > 0 else None,
        "matched_requests": discovery.matched_requests, "unmatched_requests": discovery.unmatched_requests,
        "top_unknown_domains": discovery.top_unknown(), "warnings": warnings,
        "pseudonymised": not pseudonymise.allow_names,
    }
    stored = dict(report, malformed_samples=_stored_samples(discovery.samples, pseudonymise.allow_names))
    run = save(workspace, discovery, catalogue, started, pseudonymise, stored)
    services = list(run.services.all())
    summary = {"services": len(services), "shadow_services": sum(1 for s in services if s.application_id is None)}
    run.report = {**stored, **summary}
    run.save(update_fields=["report"])
    return run, {**report, **summary, "malformed_samples": discovery.samples}
