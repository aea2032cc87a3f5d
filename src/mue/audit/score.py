"""The maturity score: per domain and overall, 1 to 5, blending observed facts and declared answers.

Formula (explained for readers in docs/audit.md):

* each rule counted has a weight by severity (info 0, low 1, medium 2, high 4, critical 8) and a pass
  rate: its effective compliance (objects passing or waived / objects in scope) for an observed
  rule, 1 / 0.5 / 0 for a questionnaire item answered yes / partly / no;
* rules with nothing in scope, inactive rules and unanswered items are not counted: a small
  workspace is not rewarded for lacking objects, nor a large one punished for having many (each
  rule weighs the same whatever its number of objects);
* a domain's rate is the weighted mean of its rules' pass rates; its score is 1 + 4 × rate,
  rounded to one decimal; the overall rate is the weighted mean over all counted rules (i.e. the
  domains weighted by the weight of their counted rules), mapped the same way;
* the share of the weight coming from observed rules and from declared answers is reported, with
  the rate each part alone would give.
"""

from __future__ import annotations

from typing import Any

from mue.audit.choices import SEVERITY_WEIGHTS, Domain
from mue.audit.results import RuleResult


def to_scale(rate: float | None) -> float | None:
    """A pass rate in [0, 1] as a 1-5 maturity score."""
    if rate is None:
        return None
    return round(1 + 4 * rate, 1)


class _Tally:
    def __init__(self) -> None:
        self.weight = {"observed": 0.0, "declared": 0.0}
        self.passed = {"observed": 0.0, "declared": 0.0}
        self.counted = 0
        self.not_counted = 0

    def add(self, result: RuleResult) -> None:
        weight = SEVERITY_WEIGHTS[result.severity]
        if not result.counted or weight == 0:
            self.not_counted += 1
            return
        self.counted += 1
        self.weight[result.kind] += weight
        self.passed[result.kind] += weight * result.effective_compliance

    def rate(self, kind: str | None = None) -> float | None:
        kinds = [kind] if kind else ["observed", "declared"]
        weight = sum(self.weight[k] for k in kinds)
        return sum(self.passed[k] for k in kinds) / weight if weight else None

    def as_dict(self) -> dict[str, Any]:
        total = self.weight["observed"] + self.weight["declared"]
        rate = self.rate()
        return {
            "score": to_scale(rate),
            "rate": None if rate is None else round(rate, 4),
            "weight": total,
            "observed": {"weight": self.weight["observed"], "score": to_scale(self.rate("observed"))},
            "declared": {"weight": self.weight["declared"], "score": to_scale(self.rate("declared"))},
            "declared_share": round(self.weight["declared"] / total, 4) if total else None,
            "rules_counted": self.counted,
            "rules_not_counted": self.not_counted,
        }


def maturity(results: list[RuleResult]) -> dict[str, Any]:
    """Scores per domain and overall from the rule results of one run."""
    domains = {value: _Tally() for value in Domain.values}
    overall = _Tally()
    for result in results:
        domains[result.domain].add(result)
        overall.add(result)
    out = overall.as_dict()
    out["domains"] = {name: tally.as_dict() for name, tally in domains.items()}
    return out
