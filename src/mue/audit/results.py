"""In-memory results of an audit: what the engine computes, what a run stores, what reports read."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class FindingData:
    """One object failing one rule (or one questionnaire item answered no / partly)."""

    rule_id: str
    domain: str
    severity: str
    object_type: str
    object_id: int
    object_slug: str
    object_name: str
    evidence: dict[str, Any] = field(default_factory=dict)
    status: str = "open"
    waiver_id: int | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies a finding across runs: rule, object type and slug (ids may change on re-import)."""
        return (self.rule_id, self.object_type, self.object_slug)


@dataclass
class RuleResult:
    """How one rule did in a run.

    ``status`` is ``evaluated``, ``not-applicable`` (nothing in scope), ``inactive`` (data it needs is
    missing; ``reason`` says what) or, for questionnaire items, ``unanswered``.
    ``compliance`` is passing / in scope on the facts; ``effective_compliance`` also counts waived
    objects as passing (an accepted risk is a decision): the maturity score uses the latter.
    """

    rule_id: str
    domain: str
    severity: str
    kind: str  # observed | declared
    status: str
    scope: int = 0
    failing: int = 0
    waived: int = 0
    reason: str = ""
    answer: str = ""
    compliance: float | None = None
    effective_compliance: float | None = None
    duration_ms: float = 0.0

    @property
    def counted(self) -> bool:
        return self.effective_compliance is not None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class AuditResult:
    """Everything one audit produced, before or after being stored as an :class:`~mue.audit.models.AuditRun`."""

    workspace_id: int
    workspace_slug: str
    as_of: dt.date
    started: dt.datetime
    finished: dt.datetime
    rules: list[RuleResult]
    findings: list[FindingData]
    score: dict[str, Any]
    run_id: int | None = None
    #: In memory only (never stored nor exported): each evaluated rule's scope, as the set of the ids
    #: of the objects in it. A re-audit updates it from the objects it re-judges instead of counting
    #: the whole scope again; a result loaded from a stored run has none (its re-audit evaluates in full).
    scopes: dict[str, frozenset[int]] = field(default_factory=dict, repr=False, compare=False)

    def rule(self, rule_id: str) -> RuleResult:
        for result in self.rules:
            if result.rule_id == rule_id:
                return result
        raise KeyError(rule_id)

    def open_findings(self) -> list[FindingData]:
        return [f for f in self.findings if f.status == "open"]

    def findings_for(self, rule_id: str) -> list[FindingData]:
        return [f for f in self.findings if f.rule_id == rule_id]

    def summary(self) -> dict[str, Any]:
        """Counts of findings per severity and status, and of rules per status."""
        by_severity: dict[str, dict[str, int]] = {}
        for f in self.findings:
            by_severity.setdefault(f.severity, {"open": 0, "waived": 0})[f.status] += 1
        by_status: dict[str, int] = {}
        for r in self.rules:
            by_status[r.status] = by_status.get(r.status, 0) + 1
        return {"findings": by_severity, "rules": by_status, "open": len(self.open_findings()),
                "waived": sum(1 for f in self.findings if f.status == "waived")}

    def as_json(self) -> dict[str, Any]:
        """The JSON written by ``mue audit --json``."""
        return {
            "run": self.run_id,
            "workspace": self.workspace_slug,
            "as_of": self.as_of.isoformat(),
            "started": self.started.isoformat(),
            "finished": self.finished.isoformat(),
            "score": self.score,
            "summary": self.summary(),
            "rules": [r.as_dict() for r in self.rules],
            "findings": [asdict(f) for f in self.findings],
        }
