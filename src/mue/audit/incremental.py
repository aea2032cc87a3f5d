"""Re-auditing after a few objects changed, reusing the previous result for everything else.

Which rules a change can affect is derived from the SQL of each rule (the tables its scope and
failing querysets read), not declared by hand, so it cannot drift from the rule's code:

* a rule that reads no table of a changed type keeps its previous result and findings;
* when every changed type the rule reads is either its own type (for a *local* rule: an object's
  verdict depends on its own row and what it references, not on other objects of its type) or a
  type it declares in ``related`` (the lookups leading to it), the rule re-counts its scope and
  re-judges only the objects the changes reach;
* any other affected rule is evaluated again in full (still one or two queries).

Waivers are applied again to what was re-evaluated; questionnaire items are kept as they were
(object changes do not change answers).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import replace
from functools import cache

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db.models import Q
from django.utils import timezone

from mue.audit.engine import apply_waivers, evaluate_rule, failing_findings
from mue.audit.results import AuditResult, FindingData, RuleResult
from mue.audit.rules import catalogue
from mue.audit.rules.base import AuditContext, Rule
from mue.audit.score import maturity
from mue.core.models import Workspace
from mue.core.registry import registry

_IDENTIFIER = re.compile(r'"?([A-Za-z_][A-Za-z0-9_]*)"?')


@cache
def table_types() -> dict[str, str]:
    """Database table -> the type whose change touches it (many-to-many tables belong to their owner)."""
    out: dict[str, str] = {}
    for otype in registry:
        out[otype.model._meta.db_table] = otype.singular
        for field in otype.model._meta.many_to_many:
            out[field.remote_field.through._meta.db_table] = otype.singular
    out[apps.get_model("documents", "DocumentLink")._meta.db_table] = "document"
    out[apps.get_model("usage", "UsageObservation")._meta.db_table] = "usage"
    return out


_reads: dict[str, frozenset[str]] = {}


def types_read(rule: Rule, ctx: AuditContext) -> frozenset[str]:
    """The types whose tables the rule's queries read (computed once per rule and process)."""
    if rule.id in _reads:
        return _reads[rule.id]
    if rule.inactive_reason(ctx):
        # Inactive: only the data it waits for can wake it ("usage" observations, "skills").
        return frozenset(requirement.key for requirement in rule.requires)
    scope = rule.scope(ctx)
    sql, complete = [], True
    for qs in (scope, rule.failing(ctx, scope)):
        try:
            sql.append(qs.query.get_compiler(using=qs.db).as_sql()[0])
        except EmptyResultSet:  # ``.none()`` in this workspace: nothing to learn, do not cache
            complete = False
    tables = table_types()
    found = frozenset({rule.object_type} | {tables[name] for name in _IDENTIFIER.findall(" ".join(sql))
                                            if name in tables})
    if complete:
        _reads[rule.id] = found
    return found


def reaudit(previous: AuditResult, workspace: Workspace, changes: Iterable[tuple[str, int]]) -> AuditResult:
    """The audit of ``workspace`` after ``changes`` ((type, id) pairs), judged at ``previous.as_of``."""
    started = timezone.now()
    ctx = AuditContext(workspace=workspace, as_of=previous.as_of)
    changed: dict[str, set[int]] = {}
    for object_type, object_id in changes:
        changed.setdefault(object_type, set()).add(object_id)
    old_results = {r.rule_id: r for r in previous.rules}
    old_findings: dict[str, list[FindingData]] = {}
    for finding in previous.findings:
        old_findings.setdefault(finding.rule_id, []).append(finding)
    results: list[RuleResult] = []
    findings: list[FindingData] = []
    redone_results: list[RuleResult] = []
    redone_findings: list[FindingData] = []
    for rule in catalogue():
        old = old_results.get(rule.id)
        touched = set(changed) & types_read(rule, ctx) if isinstance(rule, Rule) else set()
        if old is not None and not touched:
            results.append(old)
            findings.extend(old_findings.get(rule.id, []))
            continue
        reach = _reach(rule, touched, changed) if old is not None and old.status != "inactive" else None
        if reach is None:
            result, found = evaluate_rule(rule, ctx)
        else:
            result, found = _restricted(rule, ctx, old_findings.get(rule.id, []), reach,
                                        changed.get(rule.object_type, set()))
        results.append(result)
        findings.extend(found)
        redone_results.append(result)
        redone_findings.extend(found)
    apply_waivers(ctx, redone_results, redone_findings)
    return AuditResult(workspace_id=workspace.pk, workspace_slug=workspace.slug, as_of=ctx.as_of, started=started,
                       finished=timezone.now(), rules=results, findings=findings, score=maturity(results))


def _reach(rule: Rule, touched: set[str], changed: dict[str, set[int]]) -> list[Q] | None:
    """Conditions selecting the rule's objects the changes can affect, or None to evaluate the whole rule."""
    conditions = []
    for object_type in touched:
        ids = changed[object_type]
        if object_type == rule.object_type and rule.local:
            conditions.append(Q(pk__in=ids))
        elif object_type in rule.related:
            conditions.extend(Q(**{f"{path}__in": ids}) for path in rule.related[object_type])
        else:
            return None
    return conditions


def _restricted(rule: Rule, ctx: AuditContext, before: list[FindingData], reach: list[Q],
                own_ids: set[int]) -> tuple[RuleResult, list[FindingData]]:
    """Re-count the scope, re-judge only the objects the changes reach, keep the other findings."""
    began = time.perf_counter()
    result = RuleResult(rule_id=rule.id, domain=rule.domain, severity=rule.severity, kind="observed",
                        status="evaluated")
    reason = rule.inactive_reason(ctx)
    if reason:
        result.status, result.reason = "inactive", reason
        return result, []
    scope = rule.scope(ctx)
    result.scope = scope.count()
    if result.scope == 0:
        result.status = "not-applicable"
        return result, []
    # The objects reached now, plus the changed objects of the rule's own type (maybe deleted).
    # One query per condition: an OR of foreign keys would scan the table instead of using their indexes.
    ids = set(own_ids)
    for condition in reach:
        ids.update(ctx.objects(rule.object_type).filter(condition).values_list("pk", flat=True))
    # Copies, reset to open: waivers are applied again to the rule's findings.
    kept = [replace(f, status="open", waiver_id=None,
                    evidence={k: v for k, v in f.evidence.items() if k not in ("waiver", "waiver_expired")})
            for f in before if f.object_id not in ids]
    found = sorted(kept + failing_findings(rule, ctx, rule.failing(ctx, scope.filter(pk__in=ids))),
                   key=lambda f: f.object_slug)
    result.failing = len(found)
    result.compliance = result.effective_compliance = (result.scope - result.failing) / result.scope
    result.duration_ms = round((time.perf_counter() - began) * 1000, 2)
    return result, found
