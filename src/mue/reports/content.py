"""The content model of a report: everything the DOCX, HTML and PDF forms show, computed once.

:func:`build_content` reads the run, the register, the action plan and the declarations in a
constant number of queries and returns plain data (texts already in the report's language); the
generators (:mod:`mue.reports.docx`, :mod:`mue.reports.html`) only lay it out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mue.audit.choices import SEVERITY_ORDER, Domain, Severity
from mue.audit.models import AuditRun, Finding, Waiver
from mue.audit.rules import get_rule
from mue.core.registry import registry
from mue.reports import interests as interest_data
from mue.reports.actions import ordered, priority
from mue.reports.annexes import Table, annexes
from mue.reports.charts import maturity_svg
from mue.reports.choices import Effort, LicenceText, ReportStatus, licence_text
from mue.reports.models import Action, Report

#: Findings of rules below this severity are shown up to SHOWN_PER_RULE objects each (all of them
#: are in the action plan's counts and in the XLSX inventory); high and critical ones are all listed.
SHOWN_PER_RULE = 25
LISTED_IN_FULL = ("high", "critical")
URGENT = 5
#: At most this many critical services and objects in the dependency diagram (readable on a page).
DIAGRAM_SERVICES, DIAGRAM_NODES = 8, 70


@dataclass
class DomainScore:
    key: str
    label: str
    score: float | None
    observed: float | None
    declared: float | None
    open_findings: int


@dataclass
class FindingLine:
    object_label: str  # « digital service État civil (etat-civil) »
    evidence: str
    notes: list[str] = field(default_factory=list)  # declared interests naming the object's vendor


@dataclass
class RuleBlock:
    rule_id: str
    title: str
    severity: str
    severity_label: str
    rationale: str
    remediation: str
    lines: list[FindingLine]
    hidden: int = 0  # findings of the rule not listed in the report (see SHOWN_PER_RULE)


@dataclass
class DomainFindings:
    key: str
    label: str
    rules: list[RuleBlock]


@dataclass
class ActionLine:
    rank: int
    rule_id: str
    title: str
    remediation: str
    severity: str
    severity_label: str
    criticality: int
    effort: str
    owner: str
    target_date: str
    objects: int
    sample: str  # the first objects concerned, by name
    priority: float
    note: str = ""
    notes: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)  # TYPE:SLUG of every object concerned


@dataclass
class WaivedLine:
    rule_id: str
    title: str
    object_label: str
    justification: str
    approver: str
    expires: str


@dataclass
class InterestLine:
    advisor: str
    vendor: str
    what: str
    period: str
    note: str


@dataclass
class ReportContent:
    language: str
    title: str
    organization: str
    advisor: str
    author: str
    reviewer: str
    status: str
    version_label: str
    audit_date: str
    generated: str
    licence: str
    licence_text: LicenceText | None
    score: float | None
    previous_score: float | None
    previous_date: str
    summary: list[str]
    domains: list[DomainScore]
    maturity_chart: str
    findings: list[DomainFindings]
    actions: list[ActionLine]
    dependency_diagram: str | None
    interests: list[InterestLine]
    requests: list[interest_data.RequestLine]
    waived: list[WaivedLine]
    annexes: list[Table]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def urgent(self) -> list[ActionLine]:
        return self.actions[:URGENT]


def _score(value: float | None) -> str:
    return "—" if value is None else number_format(value, decimal_pos=1)


def _date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return date_format(value, "DATE_FORMAT")


def _evidence(evidence: dict) -> str:
    shown = []
    for key, value in evidence.items():
        if key == "waiver" or value in (None, "", [], {}):
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        shown.append(f"{key.replace('_', ' ')}: {value}")
    return "; ".join(shown)


def _type_label(type_name: str) -> str:
    if type_name == "workspace":
        return _("organization")
    try:
        return registry.by_singular(type_name).label
    except KeyError:
        return type_name


def object_label(type_name: str, name: str, slug: str) -> str:
    return f"{_type_label(type_name)} {name} ({slug})" if name != slug else f"{_type_label(type_name)} {slug}"


def previous_run(run: AuditRun) -> AuditRun | None:
    return (AuditRun.objects.filter(workspace_id=run.workspace_id, started__lt=run.started)
            .order_by("-started", "-id").only("id", "score", "as_of", "started").first())


def _summary(org: str, run: AuditRun, before: AuditRun | None, counts: dict[str, int], actions: int) -> list[str]:
    """The executive summary in plain words, for elected officials and directors."""
    paragraphs = []
    if run.score is None:
        paragraphs.append(_("The audit of %(date)s could not compute a maturity score for %(org)s: the register "
                            "does not yet hold enough to judge.") % {"date": _date(run.as_of), "org": org})
    else:
        paragraphs.append(_("The audit of %(date)s gives %(org)s a digital maturity of %(score)s out of 5 "
                            "(1: not under control, 5: under control and documented).")
                          % {"date": _date(run.as_of), "org": org, "score": _score(run.score)})
    if before is not None and before.score is not None and run.score is not None:
        delta = round(run.score - before.score, 1)
        if delta > 0:
            text = _("That is %(delta)s more than at the previous audit, of %(date)s (%(before)s).")
        elif delta < 0:
            text = _("That is %(delta)s less than at the previous audit, of %(date)s (%(before)s).")
        else:
            text = _("That is the same as at the previous audit, of %(date)s.")
        paragraphs.append(text % {"delta": _score(abs(delta)), "date": _date(before.as_of),
                                  "before": _score(before.score)})
    elif before is None:
        paragraphs.append(_("This is the first audit: the next one will show the progress made."))
    open_total = sum(counts.values())
    serious = counts.get("critical", 0) + counts.get("high", 0)
    paragraphs.append(ngettext("It found %(count)s point to address, %(serious)s of them serious (critical or high).",
                               "It found %(count)s points to address, %(serious)s of them serious (critical or high).",
                               open_total) % {"count": open_total, "serious": serious})
    if actions:
        paragraphs.append(ngettext(
            "They are grouped into %(count)s action, ranked by urgency: the five below come first.",
            "They are grouped into %(count)s actions, ranked by urgency: the five below come first.",
            actions) % {"count": actions})
    return paragraphs


def _findings(run: AuditRun, index: interest_data.InterestIndex) -> tuple[list[DomainFindings], dict[str, int]]:
    rows = (Finding.objects.filter(run=run, status="open")
            .order_by("rule_id", "object_type", "object_slug")
            .values_list("rule_id", "domain", "severity", "object_type", "object_slug", "object_name", "evidence"))
    blocks: dict[str, RuleBlock] = {}
    counts: dict[str, int] = {}
    domain_of: dict[str, str] = {}
    for rule_id, domain, severity, type_name, slug, name, evidence in rows:
        counts[severity] = counts.get(severity, 0) + 1
        block = blocks.get(rule_id)
        if block is None:
            rule = get_rule(rule_id)
            block = blocks[rule_id] = RuleBlock(rule_id, str(rule.title), severity, str(Severity(severity).label),
                                                str(rule.rationale), str(rule.remediation), [])
            domain_of[rule_id] = domain
        if severity not in LISTED_IN_FULL and len(block.lines) >= SHOWN_PER_RULE:
            block.hidden += 1
            continue
        block.lines.append(FindingLine(object_label(type_name, name, slug), _evidence(evidence),
                                       index.notes(f"{type_name}:{slug}")))
    out = []
    for domain in Domain:
        rules = [b for rid, b in blocks.items() if domain_of[rid] == domain.value]
        rules.sort(key=lambda b: (-SEVERITY_ORDER.index(b.severity), b.rule_id))
        if rules:
            out.append(DomainFindings(domain.value, str(domain.label), rules))
    return out, counts


def _names(run: AuditRun, actions: list[Action]) -> dict[str, str]:
    """type:slug -> name of the objects the actions' samples show (one query)."""
    wanted = {key for a in actions for key in a.targets[:3]}
    names = {}
    for type_name, slug, name in Finding.objects.filter(run=run, status="open").values_list(
            "object_type", "object_slug", "object_name"):
        key = f"{type_name}:{slug}"
        if key in wanted:
            names[key] = name
    return names


def _actions(run: AuditRun, report: Report, index: interest_data.InterestIndex) -> list[ActionLine]:
    actions = ordered(list(Action.objects.filter(report=report)))
    names = _names(run, actions)
    lines = []
    for rank, a in enumerate(actions, start=1):
        rule = get_rule(a.rule_id)
        sample = ", ".join(names.get(k, k.split(":", 1)[-1]) for k in a.targets[:3])
        if len(a.targets) > 3:
            more = len(a.targets) - 3
            sample += " " + ngettext("and %(count)s other", "and %(count)s others", more) % {"count": more}
        lines.append(ActionLine(rank, a.rule_id, str(rule.title), str(rule.remediation), a.severity,
                                str(Severity(a.severity).label), a.criticality, str(Effort(a.effort).label),
                                a.owner, _date(a.target_date), len(a.targets), sample, round(priority(a), 2),
                                a.note, index.notes_for(a.targets), list(a.targets)))
    return lines


def _waived(run: AuditRun) -> list[WaivedLine]:
    findings = list(Finding.objects.filter(run=run, status="waived").order_by("rule_id", "object_slug"))
    waivers = {w.pk: w for w in Waiver.objects.filter(pk__in={f.waiver_id for f in findings if f.waiver_id})}
    lines = []
    for f in findings:
        w = waivers.get(f.waiver_id)
        lines.append(WaivedLine(f.rule_id, str(get_rule(f.rule_id).title),
                                object_label(f.object_type, f.object_name, f.object_slug),
                                w.justification if w else "", w.approver if w else "", _date(w.expires) if w else ""))
    return lines


def dependency_diagram(report: Report) -> str | None:
    """The SVG of what the most critical services rest on (criticality 3 and 4), or None when there are none."""
    from mue.graph.build import build_graph
    from mue.graph.svg import Selection, impact_selection, render_svg

    graph = build_graph(report.workspace)
    services = [n for n in graph.nodes_of("service") if graph.criticality[n] >= 3]
    services.sort(key=lambda n: (-int(graph.criticality[n]), graph.names[n]))
    nodes: dict[int, None] = {}
    edges: set[tuple[int, int, int]] = set()
    for n in services[:DIAGRAM_SERVICES]:
        part = impact_selection(graph, n, reverse=True, include_data=False)
        if nodes and len(set(nodes) | set(part.nodes)) > DIAGRAM_NODES:
            break
        nodes.update(dict.fromkeys(part.nodes))
        edges.update(part.edges)
    if not nodes:
        return None
    title = _("What the critical services of %(org)s rest on") % {"org": report.workspace.name}
    return render_svg(graph, Selection(list(nodes), sorted(edges), None, title))


def build_content(report: Report) -> ReportContent:
    """The report's content in its language (see the module docstring)."""
    with translation.override(report.language):
        return _build(report)


def _build(report: Report) -> ReportContent:
    ws, run = report.workspace, report.run
    before = previous_run(run)
    declared = interest_data.in_force(ws, run.as_of)
    index = interest_data.interest_index(ws, declared)
    findings, counts = _findings(run, index)
    actions = _actions(run, report, index)
    open_by_domain = {d.key: sum(len(r.lines) + r.hidden for r in d.rules) for d in findings}
    domains = []
    for domain in Domain:
        data = run.domain_scores.get("domains", {}).get(domain.value, {})
        domains.append(DomainScore(domain.value, str(domain.label), data.get("score"),
                                   data.get("observed", {}).get("score"), data.get("declared", {}).get("score"),
                                   open_by_domain.get(domain.value, 0)))
    chart = maturity_svg([(d.label, d.score) for d in domains], _("Maturity by domain (1 to 5)"),
                         _("not evaluated"))
    title = report.title or _("Audit of the digital landscape")
    status = str(ReportStatus(report.status).label)
    version = f"v{report.version}" if report.version else status
    return ReportContent(
        language=report.language, title=title, organization=ws.name, advisor=report.advisor,
        author=report.author_name, reviewer=report.reviewer_name, status=report.status, version_label=version,
        audit_date=_date(run.as_of), generated=_date(report.published or timezone.now()),
        licence=report.licence, licence_text=licence_text(report.licence, report.language),
        score=run.score, previous_score=before.score if before else None,
        previous_date=_date(before.as_of) if before else "",
        summary=_summary(ws.name, run, before, counts, len(actions)), domains=domains, maturity_chart=chart,
        findings=findings, actions=actions, dependency_diagram=dependency_diagram(report),
        interests=[InterestLine(i.advisor, i.party.name, interest_data.describe(i), interest_data.period(i), i.note)
                   for i in declared],
        requests=interest_data.requests_of(ws), waived=_waived(run), annexes=annexes(ws, index), counts=counts)
