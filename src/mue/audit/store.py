"""Runs as snapshots: saving an audit, reading it back, comparing two runs."""

from __future__ import annotations

from dataclasses import dataclass, field

import orjson
from django.db import connection, transaction

from mue.audit.models import AuditRun, Finding
from mue.audit.results import AuditResult, FindingData, RuleResult

FINDING_FIELDS = ("rule_id", "domain", "severity", "object_type", "object_id", "object_slug", "object_name",
                  "evidence", "status", "waiver_id")


def save_run(audit: AuditResult, actor: str = "") -> AuditRun:
    """Store the audit as a run with its findings (bulk insert); sets ``audit.run_id``."""
    with transaction.atomic():
        run = AuditRun.objects.create(
            workspace_id=audit.workspace_id, as_of=audit.as_of, started=audit.started, finished=audit.finished,
            actor_name=actor, score=audit.score.get("score"), domain_scores=audit.score,
            rule_results=[r.as_dict() for r in audit.rules], summary=audit.summary())
        _insert_findings(run.pk, audit.findings)
    audit.run_id = run.pk
    return run


def _insert_findings(run_id: int, findings: list[FindingData]) -> None:
    """One ``executemany`` for all the findings of a run.

    A snapshot can hold tens of thousands of findings; ``bulk_create`` would split them into
    batches of ~80 rows on SQLite (its 999-parameter limit) and build a model instance per row.
    The statement is plain SQL both backends run; JSON is encoded as the JSONField would.
    """
    if not findings:
        return
    table = connection.ops.quote_name(Finding._meta.db_table)
    fields = ("run", *(name.removesuffix("_id") if name == "waiver_id" else name for name in FINDING_FIELDS))
    columns = ", ".join(connection.ops.quote_name(Finding._meta.get_field(name).column) for name in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    rows = [(run_id, f.rule_id, f.domain, f.severity, f.object_type, f.object_id, f.object_slug, f.object_name,
             orjson.dumps(f.evidence).decode(), f.status, f.waiver_id) for f in findings]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def load_run(run: AuditRun) -> AuditResult:
    """An audit result as stored (two queries: the run, its findings)."""
    findings = [FindingData(**row) for row in
                Finding.objects.filter(run=run).order_by("rule_id", "object_slug").values(*FINDING_FIELDS)]
    return AuditResult(workspace_id=run.workspace_id, workspace_slug=run.workspace.slug, as_of=run.as_of,
                       started=run.started, finished=run.finished,
                       rules=[RuleResult(**data) for data in run.rule_results], findings=findings,
                       score=run.domain_scores, run_id=run.pk)


@dataclass
class Comparison:
    """What changed between an earlier run and a later one, finding by finding."""

    before: int | None
    after: int | None
    new: list[FindingData] = field(default_factory=list)
    fixed: list[FindingData] = field(default_factory=list)
    still_open: list[FindingData] = field(default_factory=list)
    newly_waived: list[FindingData] = field(default_factory=list)
    score_before: float | None = None
    score_after: float | None = None
    domain_scores: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)

    def as_json(self) -> dict:
        from dataclasses import asdict

        return {
            "before": self.before, "after": self.after,
            "score": {"before": self.score_before, "after": self.score_after},
            "domains": {k: {"before": b, "after": a} for k, (b, a) in self.domain_scores.items()},
            "new": [asdict(f) for f in self.new], "fixed": [asdict(f) for f in self.fixed],
            "still_open": [asdict(f) for f in self.still_open],
            "newly_waived": [asdict(f) for f in self.newly_waived],
        }


def compare(before: AuditResult, after: AuditResult) -> Comparison:
    """New, fixed and still-open findings from ``before`` to ``after`` (keyed by rule, type and slug).

    A finding open before and waived after is "newly waived", not fixed: the fact is still there.
    """
    old = {f.key: f for f in before.findings}
    new = {f.key: f for f in after.findings}
    out = Comparison(before=before.run_id, after=after.run_id, score_before=before.score.get("score"),
                     score_after=after.score.get("score"))
    for key, finding in new.items():
        if finding.status != "open":
            if key in old and old[key].status == "open":
                out.newly_waived.append(finding)
            continue
        (out.still_open if key in old else out.new).append(finding)
    out.fixed = [f for key, f in old.items() if key not in new]
    for name, data in after.score.get("domains", {}).items():
        out.domain_scores[name] = (before.score.get("domains", {}).get(name, {}).get("score"), data.get("score"))
    for items in (out.new, out.fixed, out.still_open, out.newly_waived):
        items.sort(key=lambda f: (f.rule_id, f.object_slug))
    return out
