"""Re-auditing after a few objects changed, reusing the previous result for everything else.

Which rules a change can affect is derived from the SQL of each rule (the tables its scope and
failing querysets read), not declared by hand, so it cannot drift from the rule's code:

* a rule that reads no table of a changed type, or none of the columns and link tables the changes
  wrote (when the changes say which fields they wrote, as the change log does), keeps its previous
  result and findings;
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
from bisect import insort
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from operator import attrgetter

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db.models import Q
from django.utils import timezone

from mue.audit.changes import Change, as_changes, sql_names
from mue.audit.engine import apply_waivers, evaluate_rule_scope, failing_findings, failing_rows, load_waivers, scope_ids
from mue.audit.results import AuditResult, FindingData, RuleResult
from mue.audit.rules import catalogue
from mue.audit.rules.base import AuditContext, Rule
from mue.audit.score import maturity
from mue.core.models import Workspace
from mue.core.registry import registry

# Django's SQL quotes tables and columns ("table"."column") and leaves its aliases bare (U0."column",
# FROM "table" U0); string values are parameters, never in the SQL text.
_COLUMN = re.compile(r'(?:"(\w+)"|\b([A-Z]\d+))\."(\w+)"')
_ALIAS = re.compile(r'"(\w+)" ([A-Z]\d+)\b')
_QUOTED = re.compile(r'"(\w+)"')


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


@dataclass(frozen=True)
class Reads:
    """What a rule's SQL reads.

    ``types``: the types whose tables appear in it. ``columns``: the (table, column) pairs it names;
    ``tables``: the tables it names; ``loose``: the names it quotes without a table (output aliases,
    mostly; a column there counts for every table). The last three are None when the SQL could not be
    compiled in this workspace (then any field counts).
    """

    types: frozenset[str]
    columns: frozenset[tuple[str, str]] | None = None
    tables: frozenset[str] | None = None
    loose: frozenset[str] | None = None

    def reads_any(self, names: frozenset[tuple[str, str | None]] | None) -> bool:
        """Whether the SQL reads one of ``names``: (table, column) pairs, or (table, None) for a whole
        link table. None (unknown fields) always counts."""
        if names is None or self.columns is None:
            return True
        return any(table in self.tables if column is None else (table, column) in self.columns or column in self.loose
                   for table, column in names)


def parse_sql(sql: str) -> tuple[frozenset[tuple[str, str]], frozenset[str], frozenset[str]]:
    """The (table, column) pairs, tables and loose names of a compiled query (see :class:`Reads`).

    An alias may name different tables in different subqueries: a column through it counts for each.
    """
    aliases: dict[str, set[str]] = {}
    for table, alias in _ALIAS.findall(sql):
        aliases.setdefault(alias, set()).add(table)
    columns = set()
    for table, alias, column in _COLUMN.findall(sql):
        for name in ([table] if table else aliases.get(alias, ())):
            columns.add((name, column))
    quoted = set(_QUOTED.findall(_COLUMN.sub(" ", sql)))
    tables = quoted & set(table_types())
    return frozenset(columns), frozenset(tables | {t for t, _ in columns}), frozenset(quoted - tables)


_reads: dict[str, Reads] = {}


def rule_reads(rule: Rule, ctx: AuditContext) -> Reads:
    """What the rule's queries read (computed once per rule and process).

    Both queries are compiled as the engine runs them: the scope's ids, and the failing rows with the
    finding's own columns and the evidence paths (``vendor__slug`` joins a table the bare queryset does not).
    """
    if rule.id in _reads:
        return _reads[rule.id]
    if rule.reads_outside_sql:
        # The verdict is computed in Python (the feasibility of service levels, on the graph): the SQL
        # does not say what it reads, the rule does; any change of those types counts.
        _reads[rule.id] = found = _read_in_python(frozenset({rule.object_type, *rule.reads_outside_sql}))
        return found
    if rule.inactive_reason(ctx):
        # Inactive: only the data it waits for can wake it ("usage" observations, "skills").
        return Reads(frozenset(requirement.key for requirement in rule.requires))
    scope = rule.scope(ctx)
    sql, complete = [], True
    for qs in (scope.order_by().values_list("pk"), failing_rows(rule, rule.failing(ctx, scope))):
        try:
            sql.append(qs.query.get_compiler(using=qs.db).as_sql()[0])
        except EmptyResultSet:  # ``.none()`` in this workspace: nothing to learn, do not cache
            complete = False
    columns, tables, loose = parse_sql(" ".join(sql))
    types = frozenset({rule.object_type} | {table_types()[t] for t in tables if t in table_types()})
    if not complete:
        return Reads(types)
    _reads[rule.id] = found = Reads(types, columns, tables, loose)
    return found


def _read_in_python(types: frozenset[str]) -> Reads:
    """Every column (but the free-text description) and link table of these types."""
    columns: set[tuple[str, str]] = set()
    tables: set[str] = set()
    for singular in types:
        meta = registry.by_singular(singular).model._meta
        tables.add(meta.db_table)
        columns |= {(meta.db_table, f.column) for f in meta.concrete_fields if f.name != "description"}
        tables |= {f.remote_field.through._meta.db_table for f in meta.many_to_many}
    return Reads(types, frozenset(columns), frozenset(tables | {t for t, _ in columns}), frozenset())


def types_read(rule: Rule, ctx: AuditContext) -> frozenset[str]:
    """The types whose tables the rule's queries read."""
    return rule_reads(rule, ctx).types


def _touched(reads: Reads, written: dict[str, frozenset[tuple[str, str | None]] | None]) -> set[str]:
    """The changed types whose changes can affect a rule: it reads their table and, when the
    changes say which fields they wrote, one of those columns or link tables."""
    return {object_type for object_type in set(written) & reads.types if reads.reads_any(written[object_type])}


def _written(changes: list[Change]) -> dict[str, frozenset[tuple[str, str | None]] | None]:
    """Per changed type, the columns and link tables its changes wrote (None: any)."""
    out: dict[str, frozenset[tuple[str, str | None]] | None] = {}
    for change in changes:
        names = sql_names(change.object_type, change.fields)
        if change.object_type in out:
            known = out[change.object_type]
            out[change.object_type] = None if known is None or names is None else known | names
        else:
            out[change.object_type] = names
    return out


def reaudit(previous: AuditResult, workspace: Workspace, changes: Iterable[Change | tuple]) -> AuditResult:
    """The audit of ``workspace`` after ``changes``, judged at ``previous.as_of``.

    ``changes``: :class:`~mue.audit.changes.Change` objects (see
    :func:`~mue.audit.changes.changes_since`, which reads them from the change log), ``(type, id)``
    pairs or ``(type, id, fields)`` triples. Without fields, every column of the object counts as changed.
    """
    started = timezone.now()
    ctx = AuditContext(workspace=workspace, as_of=previous.as_of)
    changes = as_changes(changes)
    written = _written(changes)
    changed: dict[str, set[int]] = {}
    for change in changes:
        changed.setdefault(change.object_type, set()).add(change.object_id)
    deleted = _deleted(changed)
    old_results = {r.rule_id: r for r in previous.rules}
    old_findings: dict[str, list[FindingData]] = {}
    for finding in previous.findings:
        old_findings.setdefault(finding.rule_id, []).append(finding)
    results: list[RuleResult] = []
    findings: list[FindingData] = []
    scopes = dict(previous.scopes)
    waivers = load_waivers(ctx)
    for rule in catalogue():
        old = old_results.get(rule.id)
        touched = _touched(rule_reads(rule, ctx), written) if isinstance(rule, Rule) else set()
        if old is not None and not touched:
            results.append(old)
            findings.extend(old_findings.get(rule.id, []))
            continue
        before = old_findings.get(rule.id, [])
        members = previous.scopes.get(rule.id)
        reach = None
        if old is not None and old.status != "inactive" and members is not None:
            reach = _reach(rule, ctx, touched, changed, deleted, before)
        if reach is None:
            result, found, members = evaluate_rule_scope(rule, ctx)
        else:
            ids = _reached(rule, ctx, reach, changed.get(rule.object_type, set()))
            if not ids:  # nothing the changes can reach is judged by this rule: its result stands
                results.append(old)
                findings.extend(before)
                continue
            result, found, members = _restricted(rule, ctx, before, members, ids)
        if members is None:
            scopes.pop(rule.id, None)
        else:
            scopes[rule.id] = members
        apply_waivers(ctx, [result], found, waivers)  # replaces, in ``found``, the findings it waives
        results.append(result)
        findings.extend(found)
    return AuditResult(workspace_id=workspace.pk, workspace_slug=workspace.slug, as_of=ctx.as_of, started=started,
                       finished=timezone.now(), rules=results, findings=findings, score=maturity(results),
                       scopes=scopes)


def _deleted(changed: dict[str, set[int]]) -> dict[str, set[int]]:
    """The changed objects that no longer exist (one query per changed registry type)."""
    out: dict[str, set[int]] = {}
    known = {otype.singular: otype.model for otype in registry}
    for object_type, ids in changed.items():
        if object_type in known:
            gone = ids - set(known[object_type].objects.filter(pk__in=ids).values_list("pk", flat=True))
            if gone:
                out[object_type] = gone
    return out


def _reach(rule: Rule, ctx: AuditContext, touched: set[str], changed: dict[str, set[int]],
           deleted: dict[str, set[int]], before: list[FindingData]) -> list[Q] | None:
    """Conditions selecting the rule's objects the changes can affect, or None to evaluate the whole rule.

    A deletion evaluates in full every rule reading the deleted type: the database cascades and sets
    to null rows that are not in ``changes``, and links that no longer exist reach nothing.
    """
    conditions: list[Q] = []
    for object_type in touched:
        if object_type in deleted:
            return None
        found = rule.reach(ctx, object_type, changed[object_type], before)
        if found is None:
            return None
        conditions.extend(found)
    return conditions


def _reached(rule: Rule, ctx: AuditContext, reach: list[Q], own_ids: set[int]) -> set[int]:
    """The ids of the rule's objects the changes reach, plus the changed objects of its own type.

    One query per condition: an OR of foreign keys would scan the table instead of using their indexes.
    No workspace filter: with it SQLite may pick the workspace index and scan the whole workspace;
    the scope query that follows keeps only the workspace's objects.
    """
    ids = set(own_ids)
    model = ctx.model(rule.object_type)
    for condition in reach:
        if condition == Q(pk__in=own_ids):
            continue  # the changed objects themselves: known without a query
        ids.update(model.objects.filter(condition).values_list("pk", flat=True))
    return ids


def _restricted(rule: Rule, ctx: AuditContext, before: list[FindingData], members: frozenset[int],
                ids: set[int]) -> tuple[RuleResult, list[FindingData], frozenset[int]]:
    """Re-judge only the objects reached: their scope membership and verdicts; keep the rest.

    The scope is the previous one with the reached objects replaced by those of them in scope now,
    so its size is known without counting the whole scope again.
    """
    began = time.perf_counter()
    result = RuleResult(rule_id=rule.id, domain=rule.domain, severity=rule.severity, kind="observed",
                        status="evaluated")
    ctx = replace(ctx, focus=frozenset(ids))
    scope = rule.scope(ctx).filter(pk__in=ids)
    now = scope_ids(scope)
    members = (members - ids) | now
    result.scope = len(members)
    if result.scope == 0:
        result.status = "not-applicable"
        return result, [], members
    # The findings kept are shared with the previous result (waivers are applied again by replacing
    # findings, never by changing them); those it had waived are copied back to open.
    found = [f if f.status == "open" and f.waiver_id is None and "waiver_expired" not in f.evidence else _reopened(f)
             for f in before if f.object_id not in ids]
    if now:
        for finding in failing_findings(rule, ctx, rule.failing(ctx, scope)):
            insort(found, finding, key=_slug)
    result.failing = len(found)
    result.compliance = result.effective_compliance = (result.scope - result.failing) / result.scope
    result.duration_ms = round((time.perf_counter() - began) * 1000, 2)
    return result, found, members


_slug = attrgetter("object_slug")


def _reopened(finding: FindingData) -> FindingData:
    """A copy of a finding without what waivers added to it."""
    return replace(finding, status="open", waiver_id=None,
                   evidence={k: v for k, v in finding.evidence.items() if k not in ("waiver", "waiver_expired")})
