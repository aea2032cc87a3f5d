"""What a workspace's dashboard shows, read from the register, the audit runs and the discovery runs.

Every figure comes from stored data, in a constant number of queries whatever the workspace's size:
the last audit runs (scores per domain, their trend, the open findings of the last one by severity,
from the counts the run keeps), the contracts whose notice deadline is near, the shadow IT of the last discovery
run, the objects missing an owner, a criticality or a document (conditional counts, one query per
type). What comes from the register alone — the single points of failure (they need the dependency
graph: a third of a second to build on the largest registers, as much again to analyse), the
missing owners, the deadlines (per day) — is computed once per state of the register
(:mod:`mue.web.state_cache`): any change of the register computes it again at the next visit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from mue.audit.choices import SEVERITY_ORDER, Domain, Severity
from mue.audit.live import live_states
from mue.audit.models import AuditRun
from mue.core.models import Workspace
from mue.core.registry import registry
from mue.costs.renewals import WINDOWS, Renewal, upcoming
from mue.dashboard.cockpit import open_count
from mue.discovery.models import DiscoveredService, DiscoveryRun
from mue.web.spec import object_url, type_segment
from mue.web.state_cache import for_state, register_state

#: Audit runs shown in the trend.
TREND_RUNS = 12
#: Critical services and shadow services listed (the counts cover all of them).
LIST_LIMIT = 10
#: A service of at least this criticality is "critical" (as for ``mue spof``).
CRITICAL = 3


@dataclass
class Maturity:
    run_id: int | None = None
    as_of: dt.date | None = None
    score: float | None = None
    summary: dict | None = None  # the current counts of findings per severity and status
    domains: list[dict] = field(default_factory=list)  # {key, label, score}
    trend: list[dict] = field(default_factory=list)  # oldest first: {as_of, score}
    change: float | None = None  # score change since the previous audit
    evaluated: dt.datetime | None = None  # when the live findings were last brought up to date


def maturity(workspace: Workspace) -> Maturity:
    """The current scores per domain, and the overall score of the last runs (two queries).

    The current state is the live run (:mod:`mue.audit.live`: the last audit kept current by every
    edit, waiver and answer since) when it stems from the last stored run, else that run; the trend
    shows the stored runs, the change compares the current score with the run before its audit.
    """
    runs = list(AuditRun.objects.in_workspace(workspace).order_by("-started", "-id")
                .values("id", "as_of", "started", "score", "domain_scores", "summary")[:TREND_RUNS])
    if not runs:
        return Maturity()
    last = runs[0]
    current = live_states([workspace.pk]).get(workspace.pk)
    if current is None or current["started"] < last["started"]:
        current = {**last, "finished": None}
    domains = current["domain_scores"].get("domains", {}) if current["domain_scores"] else {}
    out = Maturity(run_id=last["id"], as_of=last["as_of"], score=current["score"],
                   summary=current["summary"] or {}, evaluated=current["finished"])
    out.domains = [{"key": key, "label": str(label), "score": (domains.get(key) or {}).get("score")}
                   for key, label in Domain.choices]
    out.trend = [{"as_of": r["as_of"], "score": r["score"]} for r in reversed(runs)]
    before = next((r["score"] for r in runs if r["started"] < current["started"]), None)
    if out.score is not None and before is not None:
        out.change = round(out.score - before, 1)
    return out


def open_findings(summary: dict | None) -> list[dict]:
    """Open findings of the last run per severity, most severe first, from the counts the run keeps
    (the cockpit reads the same ones); none without a run."""
    if summary is None:
        return []
    return [{"key": key, "label": str(Severity(key).label), "count": open_count(summary, key)}
            for key in reversed(SEVERITY_ORDER)]


def critical_services(workspace: Workspace) -> dict[str, Any]:
    """Services of criticality ≥ 3 with their single points of failure."""
    from mue.graph.build import build_graph
    from mue.graph.spof import single_points_of_failure

    graph = build_graph(workspace)
    services = [n for n in graph.nodes_of("service") if graph.criticality[n] >= CRITICAL]
    points = single_points_of_failure(graph, CRITICAL)
    by_service: dict[int, list[int]] = {s: [] for s in services}
    for point in points:
        for s in point.services:
            by_service[s].append(point.node)
    service_type = registry.by_singular("service")
    rows = []
    for s in sorted(services, key=lambda s: (-int(graph.criticality[s]), -len(by_service[s]), graph.names[s])):
        spofs = by_service[s]
        rows.append({
            "name": graph.names[s], "url": object_url(workspace.slug, service_type, graph.slugs[s]),
            "criticality": int(graph.criticality[s]), "spof_count": len(spofs),
            "spofs": [{"name": graph.names[p], "url": object_url(workspace.slug, registry.by_singular(
                graph.type_of(p)), graph.slugs[p])} for p in spofs[:3]],
        })
    return {"total": len(services), "with_spof": sum(1 for s in services if by_service[s]),
            "spof_total": len(points), "rows": rows[:LIST_LIMIT]}


def renewals(workspace: Workspace, today: dt.date) -> dict[str, Any]:
    found: list[Renewal] = upcoming([workspace.pk], today)
    contract_type = registry.by_singular("contract")
    counts = {w: sum(1 for r in found if r.window == w) for w in WINDOWS}
    rows = [{"renewal": r, "url": object_url(workspace.slug, contract_type, r.slug)} for r in found[:LIST_LIMIT * 2]]
    return {"counts": [{"days": w, "count": counts[w]} for w in WINDOWS], "rows": rows, "total": len(found)}


def shadow_it(workspace: Workspace) -> dict[str, Any] | None:
    """The services seen by the last discovery run that are not in the register (None without a run)."""
    run = DiscoveryRun.objects.in_workspace(workspace).order_by("-started").values("id", "started", "finished").first()
    if run is None:
        return None
    shadow = DiscoveredService.objects.filter(run_id=run["id"], application__isnull=True)
    summary = shadow.aggregate(n=Count("id"))
    seen = DiscoveredService.objects.filter(run_id=run["id"]).aggregate(n=Count("id"))
    rows = list(shadow.order_by("-users", "service_id").values("name", "category", "users", "requests",
                                                               "risk_score")[:LIST_LIMIT])
    return {"run": run, "count": summary["n"], "seen": seen["n"], "rows": rows}


def completeness(workspace: Workspace) -> list[dict]:
    """Objects missing what the register needs of them: one conditional-count query per type."""
    from mue.documents.models import DocumentLink

    documented = DocumentLink.objects.filter(document__workspace=workspace, target_type="service").values("target_id")
    checks: list[tuple[str, dict[str, tuple[Any, Q]]]] = [
        ("service", {
            "no_criticality": (_("without a criticality"), Q(criticality__isnull=True)),
            "no_owner": (_("without a business owner"), Q(business_owner__isnull=True)),
            "no_document": (_("critical, without any document"),
                            Q(criticality__gte=CRITICAL) & ~Q(pk__in=documented)),
        }),
        ("application", {"no_owner": (_("without an owner"), Q(owner__isnull=True))}),
        ("asset", {"no_owner": (_("without an owner"), Q(owner__isnull=True))}),
        ("process", {"no_owner": (_("without an owner"), Q(owner__isnull=True))}),
    ]
    rows = []
    for singular, wanted in checks:
        otype = registry.by_singular(singular)
        counts = otype.model.objects.filter(workspace=workspace).aggregate(
            total=Count("id"), **{key: Count("id", filter=condition) for key, (_l, condition) in wanted.items()})
        url = reverse("web:object_list", args=[workspace.slug, type_segment(otype)])
        for key, (label, _condition) in wanted.items():
            rows.append({"type": capfirst(otype.label_plural), "label": label, "missing": counts[key],
                         "total": counts["total"], "url": url})
    return rows


def dashboard(workspace: Workspace) -> dict[str, Any]:
    """Everything the dashboard shows (see the module docstring)."""
    scores = maturity(workspace)
    today = timezone.localdate()
    state = register_state(workspace)
    return {
        "maturity": scores,
        "findings": open_findings(scores.summary),
        "critical": for_state(workspace, "critical-services", lambda: critical_services(workspace), state),
        "renewals": for_state(workspace, "renewals", lambda: renewals(workspace, today), state, today),
        "shadow": shadow_it(workspace),
        "completeness": for_state(workspace, "completeness", lambda: completeness(workspace), state),
    }
