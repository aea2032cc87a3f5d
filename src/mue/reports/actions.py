"""The prioritised action plan of a report: one action per rule with open findings.

Priority = severity weight × (1 + criticality of what is affected) ÷ effort cost:

* the severity weight is the audit's (info 0, low 1, medium 2, high 4, critical 8), so info rules
  never make an action;
* the criticality is the highest of the objects concerned, a service's own (1-4) or the one an
  application or asset inherits from the services resting on it (:mod:`mue.graph.propagation`);
  objects outside the graph (contracts, flows, documents) count as 0;
* the effort cost is 1, 2 or 4 (small, medium, large): a quick win on a critical service goes
  before a long project on a minor one. Its default comes from the number of objects concerned
  (up to 3: small, up to 20: medium, more: large); the advisor corrects it.

The advisor edits effort, owner, target date, note and position while the report is a draft
(:func:`refresh_actions` keeps these edits when the plan is computed again); a position ≥ 1 puts
the action there, before the ones left in computed order.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction

from mue.audit.choices import SEVERITY_WEIGHTS
from mue.audit.models import Finding
from mue.reports.choices import EFFORT_COST, Effort
from mue.reports.models import Action, Report


def default_effort(count: int) -> str:
    if count <= 3:
        return Effort.SMALL
    return Effort.MEDIUM if count <= 20 else Effort.LARGE


def priority(action: Action) -> float:
    """The action's computed priority (higher first)."""
    return SEVERITY_WEIGHTS.get(action.severity, 0) * (1 + action.criticality) / EFFORT_COST.get(action.effort, 2)


def ordered(actions: list[Action]) -> list[Action]:
    """The plan's order: placed actions by position, then the others by priority, then rule id."""
    placed = sorted((a for a in actions if a.position), key=lambda a: (a.position, a.rule_id))
    rest = sorted((a for a in actions if not a.position), key=lambda a: (-priority(a), a.rule_id))
    return placed + rest


def criticality_of(graph, crit, targets: list[tuple[str, str]]) -> int:
    """The highest criticality among the objects (type, slug) that the graph knows."""
    best = 0
    for type_name, slug in targets:
        if type_name not in graph.offsets:
            continue
        node = graph.find(type_name, slug)
        if node is not None:
            best = max(best, int(crit[node]))
    return best


def refresh_actions(report: Report) -> list[Action]:
    """Compute the report's plan from its run's open findings, keeping the advisor's edits.

    Actions of rules that no longer have open findings go; new ones come with defaults.
    """
    from mue.graph.build import build_graph
    from mue.graph.propagation import effective_criticality

    if report.frozen:
        raise ValueError("a published report's action plan is frozen")
    by_rule: dict[str, list[tuple[str, str]]] = defaultdict(list)
    meta: dict[str, tuple[str, str]] = {}
    for rule_id, domain, severity, object_type, slug in (
            Finding.objects.filter(run_id=report.run_id, status="open")
            .order_by("rule_id", "object_type", "object_slug")
            .values_list("rule_id", "domain", "severity", "object_type", "object_slug")):
        if SEVERITY_WEIGHTS.get(severity, 0) == 0:
            continue
        by_rule[rule_id].append((object_type, slug))
        meta[rule_id] = (domain, severity)
    graph = build_graph(report.workspace)
    crit = effective_criticality(graph)
    existing = {a.rule_id: a for a in Action.objects.filter(report=report)}
    with transaction.atomic():
        Action.objects.filter(report=report).exclude(rule_id__in=list(by_rule)).delete()
        new, changed = [], []
        for rule_id, targets in by_rule.items():
            domain, severity = meta[rule_id]
            values = {"domain": domain, "severity": severity, "criticality": criticality_of(graph, crit, targets),
                      "targets": [f"{t}:{s}" for t, s in targets]}
            action = existing.get(rule_id)
            if action is None:
                new.append(Action(report=report, rule_id=rule_id, effort=default_effort(len(targets)), **values))
            elif any(getattr(action, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(action, k, v)
                changed.append(action)
        Action.objects.bulk_create(new)
        if changed:
            Action.objects.bulk_update(changed, ["domain", "severity", "criticality", "targets"])
    return ordered(list(Action.objects.filter(report=report)))
