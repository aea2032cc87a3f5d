"""The audit summary printed by ``mue audit``: scores per domain, top findings, what was not evaluated."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from mue.audit.choices import SEVERITY_ORDER, Domain
from mue.audit.results import AuditResult
from mue.audit.rules import get_rule
from mue.audit.store import Comparison

STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _evidence(evidence: dict) -> str:
    shown = [f"{k}={v}" for k, v in evidence.items() if v not in (None, "", []) and k != "waiver"]
    return ", ".join(shown)[:80]


def print_summary(console: Console, result: AuditResult, top: int = 15) -> None:
    """Print the score per domain (observed and declared parts) and the worst open findings."""
    from django.utils.translation import gettext as _

    score = result.score
    run = f" — run {result.run_id}" if result.run_id else ""
    console.print(f"[bold]{_('Audit of')} {result.workspace_slug}[/] {_('as of')} {result.as_of}{run}")
    console.print(f"{_('Maturity')}: [bold]{_score(score.get('score'))}[/] / 5 "
                  f"({_('observed')} {_score(score['observed']['score'])}, "
                  f"{_('declared')} {_score(score['declared']['score'])})")
    table = Table(_("domain"), _("score"), _("observed"), _("declared"), _("rules counted"), _("open findings"))
    open_by_domain: dict[str, int] = {}
    for f in result.open_findings():
        open_by_domain[f.domain] = open_by_domain.get(f.domain, 0) + 1
    for domain in Domain:
        data = score["domains"][domain.value]
        table.add_row(str(domain.label), _score(data["score"]), _score(data["observed"]["score"]),
                      _score(data["declared"]["score"]), str(data["rules_counted"]),
                      str(open_by_domain.get(domain.value, 0)))
    console.print(table)
    worst = sorted(result.open_findings(), key=lambda f: (-SEVERITY_ORDER.index(f.severity), f.rule_id,
                                                          f.object_slug))
    if worst:
        findings = Table(_("severity"), _("rule"), _("object"), _("finding"), _("evidence"),
                         title=_("Top findings ({shown} of {total} open)").format(shown=min(top, len(worst)),
                                                                               total=len(worst)))
        for f in worst[:top]:
            findings.add_row(f"[{STYLE[f.severity]}]{f.severity}[/]", f.rule_id, f"{f.object_type}:{f.object_slug}",
                             str(get_rule(f.rule_id).title), _evidence(f.evidence))
        console.print(findings)
    inactive = [r for r in result.rules if r.status == "inactive"]
    for r in inactive:
        console.print(f"[dim]{r.rule_id} {_('inactive')}: {r.reason}[/]")
    unanswered = sum(1 for r in result.rules if r.status == "unanswered")
    if unanswered:
        console.print(f"[dim]{unanswered} {_('questionnaire items unanswered')} (mue audit-answer)[/]")


def print_comparison(console: Console, comparison: Comparison) -> None:
    """Print the progress between two runs: score, new, fixed and still-open findings."""
    from django.utils.translation import gettext as _

    console.print(f"[bold]{_('Compared with run')} {comparison.before}[/]: {_('score')} "
                  f"{_score(comparison.score_before)} → {_score(comparison.score_after)}; "
                  f"{len(comparison.new)} {_('new')}, {len(comparison.fixed)} {_('fixed')}, "
                  f"{len(comparison.still_open)} {_('still open')}, {len(comparison.newly_waived)} {_('waived')}")
    table = Table(_("change"), _("severity"), _("rule"), _("object"))
    for label, items in ((_("new"), comparison.new), (_("fixed"), comparison.fixed)):
        for f in items[:20]:
            table.add_row(label, f"[{STYLE[f.severity]}]{f.severity}[/]", f.rule_id, f"{f.object_type}:{f.object_slug}")
    if table.row_count:
        console.print(table)
