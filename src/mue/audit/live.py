"""A workspace's live findings: the latest audit kept current by the incremental re-audit.

A full audit (a job) is stored as a snapshot and copied into the workspace's one *live* run
(:attr:`AuditRun.live`), which also records the last change-log entry it accounts for. After an edit
(:func:`refresh`, run inside the edit's transaction) the changes logged since are read back
(:func:`mue.audit.changes.changes_since`: browser, import, API and CLI changes alike) and
:func:`mue.audit.incremental.reaudit` re-judges only what they reach; only the findings that differ are
deleted and inserted. A waiver or an answer recorded from the pages is applied by
:func:`apply_decisions`. Object pages and the dashboard read the live run, and say when it was evaluated.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from django.db import transaction
from django.utils import timezone

from mue.audit.changes import changes_since
from mue.audit.engine import apply_waivers, evaluate_questions
from mue.audit.incremental import reaudit
from mue.audit.models import AuditRun, Finding
from mue.audit.results import AuditResult, FindingData, RuleResult
from mue.audit.rules import catalogue
from mue.audit.rules.base import AuditContext, Question
from mue.audit.score import maturity
from mue.audit.store import FINDING_FIELDS, _insert_findings
from mue.core.models import ChangeLogEntry, Workspace

log = logging.getLogger(__name__)


def live_run(workspace: Workspace) -> AuditRun | None:
    """The workspace's live run, None before its first audit (one query)."""
    return AuditRun.with_live.filter(workspace=workspace, live=True).first()


def last_entry(workspace: Workspace) -> int:
    """The id of the workspace's latest change-log entry (0 when none): where an audit starting now stands."""
    return (ChangeLogEntry.objects.filter(workspace_id=workspace.pk).order_by("-pk")
            .values_list("pk", flat=True).first()) or 0


def live_states(workspace_ids: list[int]) -> dict[int, dict]:
    """The live run of each workspace (those audited): id, started, finished, score, domain_scores and
    summary, in one query. A live run shares ``started`` with the full audit it was published from."""
    rows = (AuditRun.with_live.filter(workspace_id__in=workspace_ids, live=True)
            .values("workspace_id", "id", "started", "finished", "score", "domain_scores", "summary"))
    return {row["workspace_id"]: row for row in rows}


def _fields(audit: AuditResult) -> dict:
    return {"as_of": audit.as_of, "started": audit.started, "finished": audit.finished,
            "score": audit.score.get("score"), "domain_scores": audit.score,
            "rule_results": [r.as_dict() for r in audit.rules], "summary": audit.summary()}


@transaction.atomic
def publish(workspace: Workspace, audit: AuditResult, changes_through: int, actor: str = "") -> AuditRun:
    """Make a full audit the workspace's live state (its findings replace the live ones)."""
    run = AuditRun.with_live.select_for_update().filter(workspace=workspace, live=True).first()
    if run is None:
        run = AuditRun.with_live.create(workspace=workspace, live=True, actor_name=actor,
                                        changes_through=changes_through, **_fields(audit))
    else:
        for name, value in _fields(audit).items():
            setattr(run, name, value)
        run.actor_name, run.changes_through = actor, changes_through
        run.save()
        Finding.objects.filter(run=run).delete()
    _insert_findings(run.pk, audit.findings)
    return run


#: The live result last read or written by this process, per workspace: (run id, evaluated at, result).
#: It keeps the scope sets of the rules it evaluated, which make the next re-audit re-judge only what a
#: change reaches (a result read back from the database has none). Another process writing the live
#: run changes its ``finished`` time, and the entry is then read again.
_cache: dict[int, tuple[int, object, AuditResult]] = {}


def _load(run: AuditRun) -> AuditResult:
    """The live run as an audit result: from this process's cache when still current, else two queries."""
    cached = _cache.get(run.workspace_id)
    if cached is not None and cached[0] == run.pk and cached[1] == run.finished:
        return cached[2]
    findings = [FindingData(**row) for row in
                Finding.objects.filter(run=run).order_by("rule_id", "object_slug").values(*FINDING_FIELDS)]
    return AuditResult(workspace_id=run.workspace_id, workspace_slug="", as_of=run.as_of, started=run.started,
                       finished=run.finished, rules=[RuleResult(**data) for data in run.rule_results],
                       findings=findings, score=run.domain_scores, run_id=run.pk)


def _write(run: AuditRun, previous: AuditResult, audit: AuditResult, changes_through: int | None) -> int:
    """Store the new state: only the findings that differ are deleted and inserted; how many changed.

    Deletions go rule by rule (the key of a finding is its rule, type and slug; a rule judges one type).
    """
    old = {f.key: f for f in previous.findings}
    new = {f.key: f for f in audit.findings}
    gone: dict[str, list[str]] = {}
    for key, finding in old.items():
        if key not in new or new[key] is not finding and new[key] != finding:
            gone.setdefault(key[0], []).append(key[2])
    added = [f for key, f in new.items() if key not in old or old[key] is not f and old[key] != f]
    try:
        for rule_id, slugs in gone.items():
            Finding.objects.filter(run=run, rule_id=rule_id, object_slug__in=slugs).delete()
        _insert_findings(run.pk, added)
        run.score, run.domain_scores = audit.score.get("score"), audit.score
        run.rule_results, run.summary = [r.as_dict() for r in audit.rules], audit.summary()
        run.finished = timezone.now()
        fields = ["score", "domain_scores", "rule_results", "summary", "finished"]
        if changes_through is not None:
            run.changes_through = changes_through
            fields.append("changes_through")
        run.save(update_fields=fields)
    except Exception:
        _cache.pop(run.workspace_id, None)
        raise
    audit.run_id, audit.finished = run.pk, run.finished
    # Should the transaction roll back, the stored ``finished`` stays the old one: the entry no longer
    # matches and the run is read again.
    _cache[run.workspace_id] = (run.pk, run.finished, audit)
    return sum(len(slugs) for slugs in gone.values()) + len(added)


def refresh(workspace: Workspace) -> AuditRun | None:
    """Re-audit what the changes logged since the live state reach; the live run (None before any audit)."""
    with transaction.atomic():
        run = AuditRun.with_live.select_for_update().filter(workspace=workspace, live=True).first()
        if run is None:
            return None
        changes, last = changes_since(workspace.pk, run.changes_through or 0)
        if not changes:
            return run
        previous = _load(run)
        previous.workspace_slug = workspace.slug
        audit = reaudit(previous, workspace, changes)
        _write(run, previous, audit, last)
        return run


def refresh_quietly(workspace: Workspace) -> None:
    """:func:`refresh` for the edit hook: a failure is logged and leaves the live state to catch up later
    (it is re-read from the change log next time), never undoing the user's edit."""
    try:
        with transaction.atomic():  # a savepoint: what the re-audit wrote goes, the edit stays
            refresh(workspace)
    except Exception:
        log.exception("live findings of %s not refreshed", workspace.slug)


def apply_decisions(workspace: Workspace) -> AuditRun | None:
    """Apply the workspace's waivers and questionnaire answers to the live findings (after recording one)."""
    with transaction.atomic():
        run = AuditRun.with_live.select_for_update().filter(workspace=workspace, live=True).first()
        if run is None:
            return None
        previous = _load(run)
        ctx = AuditContext(workspace=workspace, as_of=max(previous.as_of, timezone.localdate()))
        questions = [r for r in catalogue() if isinstance(r, Question)]
        declared, declared_findings = evaluate_questions(questions, ctx)
        results = [replace(r) for r in previous.rules if r.kind != "declared"] + declared  # copies: the cache
        results.sort(key=lambda r: r.rule_id)
        findings = [_unwaived(f) for f in previous.findings if f.object_type != "workspace" or
                    f.rule_id not in {q.id for q in questions}] + declared_findings
        for result in results:
            if result.kind == "observed" and result.scope:
                result.effective_compliance = result.compliance
            result.waived = 0
        apply_waivers(ctx, results, findings)
        audit = replace(previous, rules=results, findings=findings, score=maturity(results))
        _write(run, previous, audit, None)
        return run


def _unwaived(finding: FindingData) -> FindingData:
    """A finding as the rule found it, before waivers (they are applied again)."""
    if finding.status == "open" and finding.waiver_id is None and "waiver_expired" not in finding.evidence:
        return finding
    return replace(finding, status="open", waiver_id=None,
                   evidence={k: v for k, v in finding.evidence.items() if k not in ("waiver", "waiver_expired")})
