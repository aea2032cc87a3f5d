"""The audit summary printed by ``mue audit``: scores per domain, top findings, what was not evaluated."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from mue.audit.choices import SEVERITY_ORDER, Domain, Severity
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
    from django.utils.translation import ngettext

    score = result.score
    if result.run_id:
        heading = _("Audit of %(workspace)s as of %(date)s — run %(run)s")
    else:
        heading = _("Audit of %(workspace)s as of %(date)s")
    # Rich markup stays out of the msgids: the translator sees only the sentence.
    values = {"workspace": result.workspace_slug, "date": result.as_of, "run": result.run_id}
    console.print("[bold]%s[/]" % (heading % values))
    console.print(_("Maturity: %(score)s / 5 (observed %(observed)s, declared %(declared)s)") % {
        "score": f"[bold]{_score(score.get('score'))}[/]", "observed": _score(score["observed"]["score"]),
        "declared": _score(score["declared"]["score"])})
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
        for column in findings.columns:  # evidence values and slugs wrap, never cut with "…"
            column.overflow = "fold"
        for f in worst[:top]:
            findings.add_row(_severity(f.severity), f.rule_id, f"{f.object_type}:{f.object_slug}",
                             str(get_rule(f.rule_id).title), _evidence(f.evidence))
        console.print(findings)
    inactive = [r for r in result.rules if r.status == "inactive"]
    for r in inactive:
        console.print("[dim]%s[/]" % (_("%(rule)s inactive: %(reason)s") % {"rule": r.rule_id, "reason": r.reason}))
    unanswered = sum(1 for r in result.rules if r.status == "unanswered")
    if unanswered:
        console.print("[dim]%s[/]" % (ngettext("%(count)s questionnaire item unanswered (mue audit-answer)",
                                               "%(count)s questionnaire items unanswered (mue audit-answer)",
                                               unanswered) % {"count": unanswered}))


def print_comparison(console: Console, comparison: Comparison) -> None:
    """Print the progress between two runs: score, new, fixed and still-open findings."""
    from django.utils.translation import gettext as _

    console.print(_("Compared with run %(run)s: score %(before)s → %(after)s; %(new)s new, %(fixed)s fixed, "
                    "%(open)s still open, %(waived)s waived") % {
        "run": comparison.before, "before": _score(comparison.score_before), "after": _score(comparison.score_after),
        "new": len(comparison.new), "fixed": len(comparison.fixed), "open": len(comparison.still_open),
        "waived": len(comparison.newly_waived)})
    table = Table(_("change"), _("severity"), _("rule"), _("object"))
    for label, items in ((_("new"), comparison.new), (_("fixed"), comparison.fixed)):
        for f in items[:20]:
            table.add_row(label, _severity(f.severity), f.rule_id, f"{f.object_type}:{f.object_slug}")
    if table.row_count:
        console.print(table)


def _severity(severity: str) -> str:
    """A severity's name in the active language, in its colour."""
    return f"[{STYLE[severity]}]{Severity(severity).label}[/]"
