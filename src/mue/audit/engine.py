"""The audit engine: evaluates every rule over a workspace in a constant number of queries.

Per observed rule: one query for the ids of its scope (their number is the denominator; the ids are
kept in memory for re-audits), and (when something is in scope) one query for the failing objects
with their evidence columns. Then one query for the workspace's waivers and one
for its questionnaire answers. Nothing is read per object.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone

from mue.audit.choices import ANSWER_COMPLIANCE
from mue.audit.results import AuditResult, FindingData, RuleResult
from mue.audit.rules import catalogue
from mue.audit.rules.base import AuditContext, Question, Rule
from mue.audit.score import maturity
from mue.core.changelog import jsonable
from mue.core.models import Workspace


def evaluate_rule(rule: Rule, ctx: AuditContext) -> tuple[RuleResult, list[FindingData]]:
    """Run one observed rule: its result (scope, failures, compliance) and its findings."""
    result, findings, _members = evaluate_rule_scope(rule, ctx)
    return result, findings


def evaluate_rule_scope(rule: Rule, ctx: AuditContext) -> tuple[RuleResult, list[FindingData], frozenset[int] | None]:
    """:func:`evaluate_rule`, plus the ids of the objects in the rule's scope (None when inactive)."""
    began = time.perf_counter()
    result = RuleResult(rule_id=rule.id, domain=rule.domain, severity=rule.severity, kind="observed",
                        status="evaluated")
    reason = rule.inactive_reason(ctx)
    if reason:
        result.status, result.reason = "inactive", reason
        return result, [], None
    scope = rule.scope(ctx)
    members = scope_ids(scope)
    result.scope = len(members)
    findings: list[FindingData] = []
    if result.scope == 0:
        result.status = "not-applicable"
    else:
        findings = failing_findings(rule, ctx, rule.failing(ctx, scope))
        result.failing = len(findings)
        result.compliance = (result.scope - result.failing) / result.scope
        result.effective_compliance = result.compliance
    result.duration_ms = round((time.perf_counter() - began) * 1000, 2)
    return result, findings, members


def scope_ids(scope: QuerySet) -> frozenset[int]:
    """The ids of a scope, in one query as cheap as its ``COUNT`` plus the transfer of the ids.

    The SQL is Django's own (``values_list("pk")``), run on a plain cursor: building a model row or a
    tuple per id through the ORM would cost more than the query on scopes of 100,000 flows.
    """
    sql, params = scope.order_by().values_list("pk").query.sql_with_params()
    with connections[scope.db].cursor() as cursor:
        cursor.execute(sql, params)
        return frozenset(row[0] for row in cursor.fetchall())


_PLAIN = (str, int, float, bool, type(None))


def failing_rows(rule: Rule, failing: QuerySet) -> QuerySet:
    """The failing rows as the engine reads them: id, slug, name, then each evidence path once."""
    return failing.order_by().values_list("pk", "slug", "name", *dict.fromkeys(rule.evidence.values()))


def failing_findings(rule: Rule, ctx: AuditContext, failing) -> list[FindingData]:
    """Read the failing rows (one query) and turn them into findings with their evidence."""
    keys = list(rule.evidence)
    paths = list(dict.fromkeys(rule.evidence.values()))
    position = {path: 3 + i for i, path in enumerate(paths)}
    columns = [position[rule.evidence[key]] for key in keys]
    enrich = type(rule).enrich is not Rule.enrich
    seen: set[int] = set()
    findings = []
    for row in failing_rows(rule, failing):
        if row[0] in seen:  # a join in a rule may repeat an object; one finding per object
            continue
        seen.add(row[0])
        evidence = {key: row[col] for key, col in zip(keys, columns, strict=True)}
        if enrich:
            evidence = rule.enrich(evidence, ctx)
        for key, value in evidence.items():
            if not isinstance(value, _PLAIN):  # dates, decimals: as the change log stores them
                evidence[key] = jsonable(value)
        findings.append(FindingData(rule.id, rule.domain, rule.severity, rule.object_type, row[0], row[1], row[2],
                                    evidence))
    findings.sort(key=lambda f: f.object_slug)
    return findings


def evaluate_questions(questions: Iterable[Question], ctx: AuditContext) -> tuple[list[RuleResult], list[FindingData]]:
    """Questionnaire items from the latest answer given on or before ``as_of`` (one query)."""
    from mue.audit.models import QuestionnaireAnswer

    latest: dict[str, QuestionnaireAnswer] = {}
    answers = (QuestionnaireAnswer.objects.filter(workspace=ctx.workspace, answered_on__lte=ctx.as_of)
               .order_by("question_id", "-answered_on", "-id"))
    for answer in answers:
        latest.setdefault(answer.question_id, answer)
    results, findings = [], []
    for question in questions:
        result = RuleResult(rule_id=question.id, domain=question.domain, severity=question.severity,
                            kind="declared", status="unanswered")
        answer = latest.get(question.id)
        if answer is not None and answer.answer in ANSWER_COMPLIANCE:
            rate = ANSWER_COMPLIANCE[answer.answer]
            result.status, result.answer, result.scope = "evaluated", answer.answer, 1
            result.failing = 0 if rate == 1.0 else 1
            result.compliance = result.effective_compliance = rate
            if rate < 1.0:
                findings.append(FindingData(
                    rule_id=question.id, domain=question.domain, severity=question.severity,
                    object_type="workspace", object_id=ctx.workspace.pk, object_slug=ctx.workspace.slug,
                    object_name=ctx.workspace.name,
                    evidence={"answer": answer.answer, "answered_by": answer.answered_by,
                              "answered_on": answer.answered_on.isoformat(), "note": answer.note}))
        elif answer is not None:
            result.answer = answer.answer  # "don't know": shown, not counted
        results.append(result)
    return results, findings


def load_waivers(ctx: AuditContext) -> dict[tuple[str, str, str], Any]:
    """The workspace's waivers in force by (rule, object type, slug); the latest expiry wins (one query).

    A revoked waiver no longer counts: the finding opens again as if it had never been waived.
    """
    from mue.audit.models import Waiver

    waivers: dict[tuple[str, str, str], Any] = {}
    for waiver in Waiver.objects.filter(workspace=ctx.workspace, revoked__isnull=True).order_by("expires", "id"):
        waivers[(waiver.rule_id, waiver.object_type, waiver.object_slug)] = waiver
    return waivers


def apply_waivers(ctx: AuditContext, results: list[RuleResult], findings: list[FindingData],
                  waivers: dict[tuple[str, str, str], Any] | None = None) -> None:
    """Mark findings covered by a waiver valid at ``as_of`` as waived (loading the waivers: one query).

    An expired waiver leaves the finding open and says so in its evidence. Findings are replaced in
    ``findings``, never changed: a re-audit shares the findings it keeps with the previous result.
    """
    if waivers is None:
        waivers = load_waivers(ctx)
    if not waivers:
        return
    waived_per_rule: dict[str, int] = {}
    for i, finding in enumerate(findings):
        waiver = waivers.get(finding.key)
        if waiver is None:
            continue
        if waiver.expires >= ctx.as_of:
            findings[i] = replace(finding, status="waived", waiver_id=waiver.pk, evidence={
                **finding.evidence, "waiver": {"approver": waiver.approver, "expires": waiver.expires.isoformat(),
                                               "justification": waiver.justification}})
            waived_per_rule[finding.rule_id] = waived_per_rule.get(finding.rule_id, 0) + 1
        else:
            findings[i] = replace(finding, status="open", waiver_id=None,
                                  evidence={**finding.evidence, "waiver_expired": waiver.expires.isoformat()})
    for result in results:
        result.waived = waived_per_rule.get(result.rule_id, 0)
        if result.scope and result.kind == "observed":
            result.effective_compliance = (result.scope - result.failing + result.waived) / result.scope
        elif result.kind == "declared" and result.waived and result.compliance is not None:
            result.effective_compliance = 1.0


def run_audit(workspace: Workspace, as_of: dt.date | None = None, *, rule_ids: Iterable[str] | None = None,
              store: bool = True, actor: str = "", progress: Callable[[int, int], None] | None = None) -> AuditResult:
    """Audit a workspace with every rule (or those named) and, by default, store the run.

    ``progress(done, total)`` is called after each observed rule (a job shows it)."""
    started = timezone.now()
    ctx = AuditContext(workspace=workspace, as_of=as_of or timezone.localdate())
    wanted = {r.upper() for r in rule_ids} if rule_ids else None
    results: list[RuleResult] = []
    findings: list[FindingData] = []
    scopes: dict[str, frozenset[int]] = {}
    selected = [r for r in catalogue() if wanted is None or r.id in wanted]
    for done, rule in enumerate(selected, 1):
        if progress is not None:
            progress(done, len(selected))
        if isinstance(rule, Rule):
            result, found, members = evaluate_rule_scope(rule, ctx)
            results.append(result)
            findings.extend(found)
            if members is not None:
                scopes[rule.id] = members
    q_results, q_findings = evaluate_questions([r for r in selected if isinstance(r, Question)], ctx)
    results.extend(q_results)
    findings.extend(q_findings)
    results.sort(key=lambda r: r.rule_id)
    apply_waivers(ctx, results, findings)
    audit = AuditResult(workspace_id=workspace.pk, workspace_slug=workspace.slug, as_of=ctx.as_of, started=started,
                        finished=timezone.now(), rules=results, findings=findings, score=maturity(results),
                        scopes=scopes)
    if store:
        from mue.audit.store import save_run

        save_run(audit, actor=actor)
    return audit
