"""The audit pages: the live findings, stored runs, their comparison, the rule catalogue, waivers and
the questionnaire. Every page goes through the one permission gate (``workspace_view``): reading
needs "view", running an audit, waiving and answering need "audit"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.db.models.functions import Concat
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mue.audit import live
from mue.audit.catalogue_doc import kind_label, object_label
from mue.audit.choices import SEVERITY_ORDER, Answer, Domain, FindingStatus, Severity
from mue.audit.evidence import evidence_rows
from mue.audit.models import AuditRun, Finding, QuestionnaireAnswer
from mue.audit.rules import catalogue, get_rule
from mue.audit.store import compare, load_run
from mue.audit.waivers import WaiverError, add_waiver, answer_question
from mue.core.models import Workspace
from mue.core.registry import registry
from mue.jobs import runner as jobs
from mue.web import keyset
from mue.web.spec import object_url
from mue.web.views.base import workspace_view

DOMAIN_RANK = {value: str(i) for i, value in enumerate(Domain.values)}
SEVERITY_RANK = {value: str(4 - i) for i, value in enumerate(SEVERITY_ORDER)}  # critical first


def rule_or_none(rule_id: str):
    try:
        return get_rule(rule_id)
    except KeyError:  # a rule removed since the run: its findings are still shown, by id
        return None


# -- the score ----------------------------------------------------------------------------------------


def domain_rows(run: AuditRun, counts: dict[tuple[str, str, str], int]) -> list[dict]:
    """One row per domain: its score (and the observed and declared parts), rules counted, open findings."""
    rows = []
    for domain in Domain:
        data = run.domain_scores.get("domains", {}).get(domain.value, {})
        open_by_severity = {s: counts.get((domain.value, s, "open"), 0) for s in SEVERITY_ORDER}
        rows.append({"key": domain.value, "label": domain.label, "score": data.get("score"),
                     "observed": (data.get("observed") or {}).get("score"),
                     "declared": (data.get("declared") or {}).get("score"),
                     "rules_counted": data.get("rules_counted", 0),
                     "severities": [open_by_severity[s] for s in reversed(SEVERITY_ORDER)],
                     "open": sum(open_by_severity.values()),
                     "waived": sum(counts.get((domain.value, s, "waived"), 0) for s in SEVERITY_ORDER)})
    return rows


def finding_counts(run: AuditRun) -> dict[tuple[str, str, str], int]:
    """Findings per (domain, severity, status) of a run, in one grouped query."""
    return {(row["domain"], row["severity"], row["status"]): row["n"] for row in
            Finding.objects.filter(run=run).order_by().values("domain", "severity", "status").annotate(n=Count("id"))}


def radar_data(rows: list[dict], datasets: list[tuple[str, str]]) -> dict:
    """The chart's data (drawn by web/charts.js): one axis per domain, scores 1-5, None where not evaluated."""
    return {"type": "radar", "min": 1, "max": 5, "labels": [str(r["label"]) for r in rows],
            "datasets": [{"label": label, "data": [r[key] for r in rows]} for label, key in datasets]}


# -- findings list ------------------------------------------------------------------------------------


class FindingFilter(forms.Form):
    domain = forms.ChoiceField(label=gettext_lazy("Domain"), required=False)
    severity = forms.ChoiceField(label=gettext_lazy("Severity"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    rule = forms.CharField(label=gettext_lazy("Rule"), required=False, max_length=20)
    object_type = forms.ChoiceField(label=gettext_lazy("Object type"), required=False)
    q = forms.CharField(label=gettext_lazy("Object name"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["domain"].choices = every + list(Domain.choices)
        self.fields["severity"].choices = every + [(s, Severity(s).label) for s in reversed(SEVERITY_ORDER)]
        self.fields["status"].choices = [("", _("Open")), ("waived", _("Waived")), ("all", _("Open and waived"))]
        self.fields["object_type"].choices = every + [(t.singular, capfirst(t.label)) for t in registry] + [
            ("workspace", _("Questionnaire"))]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"

    @property
    def active(self) -> bool:
        return self.is_bound and self.is_valid() and any(self.cleaned_data.values())

    def apply(self, queryset: QuerySet) -> QuerySet:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        status = data.get("status") or "open"
        if status != "all":
            queryset = queryset.filter(status=status)
        for name in ("domain", "severity", "object_type"):
            if data.get(name):
                queryset = queryset.filter(**{name: data[name]})
        if data.get("rule"):
            queryset = queryset.filter(rule_id=data["rule"].strip().upper())
        if data.get("q"):
            queryset = queryset.filter(Q(object_name__icontains=data["q"]) | Q(object_slug__icontains=data["q"]))
        return queryset


def _rank(field: str, ranks: dict[str, str]) -> Case:
    return Case(*[When(**{field: key}, then=Value(rank)) for key, rank in ranks.items()], default=Value("9"),
                output_field=CharField())


def grouped(queryset: QuerySet) -> QuerySet:
    """Findings in the order they are shown: by domain, then severity (worst first), rule and object.

    The order is one annotated text key so that keyset pagination (one sort value and the id) applies.
    """
    return queryset.annotate(group_key=Concat(_rank("domain", DOMAIN_RANK), _rank("severity", SEVERITY_RANK),
                                              "rule_id", Value("|"), "object_slug", output_field=CharField()))


def finding_item(finding: Finding, workspace: Workspace) -> dict:
    rule = rule_or_none(finding.rule_id)
    if finding.object_type == "workspace":
        url = reverse("web:audit_questionnaire", args=[workspace.slug]) + f"#q-{finding.rule_id}"
        type_label = _("Questionnaire")
    else:
        try:
            otype = registry.by_singular(finding.object_type)
        except KeyError:
            url, type_label = None, finding.object_type
        else:
            url, type_label = object_url(workspace.slug, otype, finding.object_slug), capfirst(otype.label)
    waiver = finding.evidence.get("waiver") if finding.status == "waived" else None
    if waiver and isinstance(waiver.get("expires"), str):
        waiver = {**waiver, "expires": dt.date.fromisoformat(waiver["expires"])}  # shown in the user's format
    return {"finding": finding, "rule": rule, "url": url, "type_label": type_label, "waiver": waiver,
            "evidence": evidence_rows(rule, finding.evidence),
            "severity_label": Severity(finding.severity).label, "domain_label": Domain(finding.domain).label,
            "target": f"{finding.object_type}:{finding.object_slug}"}


def findings_page(request: HttpRequest, run: AuditRun, workspace: Workspace) -> dict:
    """The filtered findings of a run, one keyset page, with a heading wherever domain or severity changes."""
    form = FindingFilter(request.GET or None)
    rows = grouped(form.apply(Finding.objects.filter(run=run)))
    size = int(request.GET["per_page"]) if request.GET.get("per_page", "").isdigit() else keyset.DEFAULT_PAGE_SIZE
    page = keyset.paginate(rows, "group_key", False, False, size, after=request.GET.get("after"),
                           before=request.GET.get("before"), last=request.GET.get("page") == "last")
    items, previous = [], None
    for finding in page.rows:
        item = finding_item(finding, workspace)
        group = (finding.domain, finding.severity)
        item["heading"] = group != previous
        previous = group
        items.append(item)
    return {"filter": form, "items": items, "page": page, "page_sizes": keyset.PAGE_SIZES,
            "matching": rows.count()}


def _run_context(request: HttpRequest, workspace: Workspace, run: AuditRun) -> dict:
    counts = finding_counts(run)
    rows = domain_rows(run, counts)
    score = run.domain_scores
    pending = 0
    if run.live:
        pending = (live.ChangeLogEntry.objects.filter(workspace_id=workspace.pk, pk__gt=run.changes_through or 0)
                   .count())
    return {
        "run": run, "is_live": run.live, "chart_id": "audit-radar", "rate": _percent(score.get("rate")),
        "rows": rows, "score": score,
        "chart": radar_data(rows, [(_("Maturity (1 to 5)"), "score")]),
        "severities": [Severity(s) for s in reversed(SEVERITY_ORDER)],
        "open_total": sum(v for (_d, _s, status), v in counts.items() if status == "open"),
        "waived_total": sum(v for (_d, _s, status), v in counts.items() if status == "waived"),
        "inactive": [r for r in run.rule_results if r["status"] == "inactive"],
        "unanswered": sum(1 for r in run.rule_results if r["status"] == "unanswered"),
        "pending_changes": pending, "job": jobs.running(workspace, "audit"),
        "runs": list(AuditRun.objects.filter(workspace=workspace).only("id", "started", "score")[:20]),
        **findings_page(request, run, workspace),
    }


@workspace_view("view")
def audit_home(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """The workspace's current findings (the live run), or how to run the first audit."""
    run = live.live_run(workspace)
    if run is None:
        return render(request, "audit/empty.html", {"job": jobs.running(workspace, "audit")})
    template = "audit/_findings.html" if request.htmx and request.htmx.target == "findings" else "audit/run.html"
    return render(request, template, _run_context(request, workspace, run))


@workspace_view("view")
def audit_run(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    run = AuditRun.objects.filter(workspace=workspace, pk=pk).first()
    if run is None:
        raise Http404(_("No such audit run."))
    template = "audit/_findings.html" if request.htmx and request.htmx.target == "findings" else "audit/run.html"
    return render(request, template, _run_context(request, workspace, run))


@require_POST
@workspace_view("audit")
def audit_start(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """Start an audit as a job (or join the one running) and show its progress."""
    job = jobs.running(workspace, "audit") or jobs.submit("audit", workspace, request.user)
    return redirect("web:job", workspace.slug, job.pk)


@require_POST
@workspace_view("audit")
def audit_refresh(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """Catch the live findings up with every change logged since they were evaluated (imports, API...)."""
    live.refresh(workspace)
    messages.success(request, _("The findings were evaluated again."))
    return redirect("web:audit", workspace.slug)


@workspace_view("view")
def audit_runs(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    runs = AuditRun.objects.filter(workspace=workspace).only("id", "as_of", "started", "score", "summary",
                                                              "actor_name")
    page = keyset.paginate(runs, "started", True, False, keyset.DEFAULT_PAGE_SIZE, after=request.GET.get("after"),
                           before=request.GET.get("before"), last=request.GET.get("page") == "last")
    return render(request, "audit/runs.html", {"page": page, "job": jobs.running(workspace, "audit")})


# -- comparing two runs -------------------------------------------------------------------------------

COMPARE_SHOWN = 200


@workspace_view("view")
def audit_compare(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """New, resolved, unchanged and newly waived findings from one run to another, and the score change."""
    runs = list(AuditRun.objects.filter(workspace=workspace).only("id", "started", "score")[:100])
    before_id = int(request.GET["before"]) if request.GET.get("before", "").isdigit() else None
    after_id = int(request.GET["after"]) if request.GET.get("after", "").isdigit() else None
    if after_id is None and runs:
        after_id = runs[0].pk
    if before_id is None and len(runs) > 1:
        before_id = runs[1].pk
    context: dict[str, Any] = {"runs": runs, "before_id": before_id, "after_id": after_id}
    by_id = {}
    if before_id and after_id:
        by_id = {r.pk: r for r in AuditRun.objects.filter(workspace=workspace, pk__in=[before_id, after_id])
                 .select_related("workspace")}
    if before_id in by_id and after_id in by_id:
        before, after = by_id[before_id], by_id[after_id]
        comparison = compare(load_run(before), load_run(after))
        rows = []
        for domain in Domain:
            b, a = comparison.domain_scores.get(domain.value, (None, None))
            rows.append({"label": domain.label, "before": b, "after": a,
                         "delta": None if a is None or b is None else round(a - b, 1)})
        lists = []
        for key, label, items in (("new", _("New findings"), comparison.new),
                                  ("resolved", _("Resolved findings"), comparison.fixed),
                                  ("waived", _("Newly waived"), comparison.newly_waived),
                                  ("unchanged", _("Unchanged (still open)"), comparison.still_open)):
            lists.append({"key": key, "label": label, "count": len(items),
                          "items": [_compared(f, workspace) for f in items[:COMPARE_SHOWN]]})
        rate_before, rate_after = before.domain_scores.get("rate"), after.domain_scores.get("rate")
        context.update(rate_before=_percent(rate_before), rate_after=_percent(rate_after),
                       rate_delta=None if rate_before is None or rate_after is None
                       else round(100 * (rate_after - rate_before), 1))
        delta = None
        if comparison.score_before is not None and comparison.score_after is not None:
            delta = round(comparison.score_after - comparison.score_before, 1)
        context.update(before=before, after=after, comparison=comparison, rows=rows, lists=lists, delta=delta,
                       shown=COMPARE_SHOWN,
                       chart=radar_data(rows, [(_("Run %(id)s") % {"id": before.pk}, "before"),
                                               (_("Run %(id)s") % {"id": after.pk}, "after")]))
    return render(request, "audit/compare.html", context)


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(100 * rate, 1)


def _compared(finding, workspace: Workspace) -> dict:
    rule = rule_or_none(finding.rule_id)
    url = None
    if finding.object_type != "workspace":
        try:
            url = object_url(workspace.slug, registry.by_singular(finding.object_type), finding.object_slug)
        except KeyError:
            pass
    return {"f": finding, "rule": rule, "url": url, "severity_label": Severity(finding.severity).label}


# -- the rule catalogue ---------------------------------------------------------------------------------


@workspace_view("view")
def audit_rules(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    domain = request.GET.get("domain", "")
    rules = [r for r in catalogue() if not domain or r.domain == domain]
    groups = []
    for value, label in Domain.choices:
        items = [{"rule": r, "severity_label": Severity(r.severity).label, "kind": kind_label(r),
                  "covers": object_label(r)} for r in rules if r.domain == value]
        if items:
            groups.append({"key": value, "label": label, "items": items})
    return render(request, "audit/rules.html", {"groups": groups, "domains": Domain.choices, "domain": domain,
                                                "count": len(rules)})


# -- waivers and answers --------------------------------------------------------------------------------


class WaiverForm(forms.Form):
    rule = forms.CharField(widget=forms.HiddenInput, max_length=20)
    target = forms.CharField(widget=forms.HiddenInput, max_length=160)
    justification = forms.CharField(label=gettext_lazy("Why is the risk accepted?"), max_length=5000,
                                    widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}))
    approver = forms.CharField(label=gettext_lazy("Approved by"), max_length=150,
                               help_text=gettext_lazy("The person who accepts the risk for the organization."),
                               widget=forms.TextInput(attrs={"class": "form-control"}))
    expires = forms.DateField(label=gettext_lazy("Until"),
                              help_text=gettext_lazy("After this date the finding opens again."),
                              widget=forms.DateInput(attrs={"type": "date", "class": "form-control"},
                                                     format="%Y-%m-%d"))
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)


def _safe_next(request: HttpRequest, url: str, workspace: Workspace) -> str:
    prefix = reverse("web:workspace", args=[workspace.slug])
    return url if url.startswith(prefix) else reverse("web:audit", args=[workspace.slug])


@workspace_view("audit")
def audit_waive(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """Accept the risk of one finding: the reason, who approves it, until when (who records it is kept)."""
    source = request.POST if request.method == "POST" else request.GET
    rule = rule_or_none(source.get("rule", ""))
    target = source.get("target", "")
    if rule is None or ":" not in target:
        raise Http404(_("No such finding."))
    user = request.user
    initial = {"rule": rule.id, "target": target, "approver": user.get_full_name() or user.get_username(),
               "expires": timezone.localdate() + dt.timedelta(days=365),
               "next": source.get("next", "")}
    form = WaiverForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            add_waiver(workspace, rule.id, target, justification=data["justification"], approver=data["approver"],
                       expires=data["expires"], recorded_by=user.get_username())
        except WaiverError as exc:
            form.add_error(None, str(exc))
        else:
            live.apply_decisions(workspace)
            messages.success(request, _("Waiver recorded: %(rule)s on %(object)s is accepted until %(date)s.") % {
                "rule": rule.id, "object": target, "date": data["expires"].strftime("%d/%m/%Y")})
            return redirect(_safe_next(request, data.get("next") or "", workspace))
    return render(request, "audit/waive.html", {"form": form, "rule": rule, "target": target,
                                                "object": _waived_object(workspace, target),
                                                "cancel_url": _safe_next(request, source.get("next", ""), workspace)})


def _waived_object(workspace: Workspace, target: str) -> dict | None:
    """The object a waiver names, as shown on its form: its type, name and page (None if there is none)."""
    object_type, _sep, slug = target.partition(":")
    if object_type == "workspace":
        return {"type": _("Questionnaire"), "name": workspace.name, "url": None}
    try:
        otype = registry.by_singular(object_type)
    except KeyError:
        return None
    name = otype.model.objects.filter(workspace=workspace, slug=slug).values_list("name", flat=True).first()
    if name is None:
        return None
    return {"type": capfirst(otype.label), "name": name, "url": object_url(workspace.slug, otype, slug)}


class AnswerForm(forms.Form):
    question = forms.CharField(widget=forms.HiddenInput, max_length=20)
    answer = forms.ChoiceField(label=gettext_lazy("Answer"), choices=Answer.choices,
                               widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    answered_by = forms.CharField(label=gettext_lazy("Answered by"), max_length=150,
                                  widget=forms.TextInput(attrs={"class": "form-control"}))
    note = forms.CharField(label=gettext_lazy("What the answer rests on"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


@workspace_view("view")
def audit_questionnaire(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """The questionnaire items with their latest answers; members who audit answer them here."""
    may_answer = "audit" in request.workspace_actions
    posted = None
    if request.method == "POST":
        if not may_answer:
            raise Http404(_("You may not answer the questionnaire of this workspace."))
        form = AnswerForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                answer_question(workspace, data["question"], data["answer"], answered_by=data["answered_by"],
                                note=data["note"])
            except WaiverError as exc:
                messages.error(request, str(exc))
            else:
                live.apply_decisions(workspace)
                messages.success(request, _("Answer recorded for %(question)s.") % {"question": data["question"]})
                return redirect(reverse("web:audit_questionnaire", args=[workspace.slug]) + f"#q-{data['question']}")
        posted = form
    latest: dict[str, QuestionnaireAnswer] = {}
    for answer in QuestionnaireAnswer.objects.filter(workspace=workspace).order_by("question_id", "-answered_on",
                                                                                   "-id"):
        latest.setdefault(answer.question_id, answer)
    by = request.user.get_full_name() or request.user.get_username()
    groups = []
    for value, label in Domain.choices:
        items = []
        for question in (r for r in catalogue() if r.kind == "declared" and r.domain == value):
            answer = latest.get(question.id)
            if posted is not None and posted.data.get("question") == question.id:
                form = posted
            else:
                form = AnswerForm(initial={"question": question.id, "answered_by": by,
                                           "answer": answer.answer if answer else None})
            form.auto_id = f"id_{question.id}_%s"
            items.append({"question": question, "answer": answer, "form": form,
                          "severity_label": Severity(question.severity).label})
        if items:
            groups.append({"label": label, "items": items})
    return render(request, "audit/questionnaire.html", {"groups": groups, "may_answer": may_answer,
                                                        "answered": len(latest)})


# -- the findings of one object (a tab of its page) ----------------------------------------------------


def findings_tab(request: HttpRequest, workspace: Workspace, obj: Any, otype: Any):
    """The open findings of an object in the live run, and when they were evaluated (two queries)."""
    from django.template.loader import render_to_string

    run = AuditRun.with_live.filter(workspace=workspace, live=True).only("id", "finished", "as_of").first()
    findings = []
    if run is not None:
        findings = [finding_item(f, workspace) for f in Finding.objects.filter(
            run=run, object_type=otype.singular, object_id=obj.pk).order_by("rule_id")]
    return render_to_string("audit/_object_findings.html", {
        "run": run, "items": [i for i in findings if i["finding"].status == FindingStatus.OPEN],
        "waived": [i for i in findings if i["finding"].status == FindingStatus.WAIVED],
        "workspace": workspace, "may_audit": "audit" in getattr(request, "workspace_actions", set()),
        "next": request.get_full_path()}, request=request)
