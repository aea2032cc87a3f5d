"""The report pages: editions of a workspace's report, one edition (plan, review, downloads), the
declared interests, and the handover archive — every view behind the one permission gate.

Members who may read the workspace see the editions and download them; auditors (the advisor and
their reviewer) prepare, review and publish; the handover archive is for those who administer it.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mue.audit.choices import Severity
from mue.audit.models import AuditRun
from mue.audit.rules import get_rule
from mue.core.models import Workspace
from mue.reports import services
from mue.reports.actions import ordered, priority
from mue.reports.choices import CONTENT_TYPES, ReportFormat, ReportStatus, ReviewVerdict, Section
from mue.reports.models import Action, Interest, Report
from mue.vendors.models import ExternalParty
from mue.web.views.base import workspace_view


def _report(workspace: Workspace, pk: int) -> Report:
    report = Report.objects.in_workspace(workspace).select_related("workspace", "run").filter(pk=pk).first()
    if report is None:
        raise Http404(_("No such report."))
    return report


class _Styled:
    """Tabler's classes on every widget (the layout's forms look alike)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs.setdefault("class", "form-select" if select else "form-control")


class SettingsForm(_Styled, forms.ModelForm):
    class Meta:
        model = Report
        fields = ["title", "advisor", "language", "licence"]


class ActionForm(_Styled, forms.ModelForm):
    class Meta:
        model = Action
        fields = ["effort", "owner", "target_date", "position", "note"]
        widgets = {"target_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "note": forms.TextInput(attrs={"placeholder": gettext_lazy("Note printed with the action")})}


class ReviewForm(forms.Form):
    section = forms.ChoiceField(label=gettext_lazy("Section"), choices=[("", "—"), *Section.choices],
                                required=False)
    body = forms.CharField(label=gettext_lazy("Comment"), max_length=10_000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    verdict = forms.ChoiceField(choices=ReviewVerdict.choices)


class InterestForm(_Styled, forms.ModelForm):
    class Meta:
        model = Interest
        fields = ["advisor", "party", "nature", "amount", "percentage", "start", "end", "note"]
        widgets = {"start": forms.DateInput(attrs={"type": "date"}), "end": forms.DateInput(attrs={"type": "date"}),
                   "note": forms.TextInput()}

    def __init__(self, *args, workspace: Workspace, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = ExternalParty.objects.in_workspace(workspace).order_by("name")


def _may_audit(request: HttpRequest) -> bool:
    return "audit" in request.workspace_actions


@workspace_view("view")
def report_list(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """``/w/<ws>/reports/``: the editions, newest first, and what can be done with them."""
    reports = list(Report.objects.in_workspace(workspace).select_related("run").order_by("-created", "-id"))
    if not _may_audit(request):
        reports = [r for r in reports if r.frozen]
    has_run = AuditRun.objects.filter(workspace=workspace).exists()
    return render(request, "reports/list.html", {
        "workspace": workspace, "reports": reports, "has_run": has_run, "may_audit": _may_audit(request),
        "may_admin": "admin" in request.workspace_actions, "formats": ReportFormat.choices})


@require_POST
@workspace_view("audit")
def report_new(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    try:
        report = services.current_draft(workspace, author=request.user, author_name=_name(request.user))
    except services.ReportError as exc:
        messages.error(request, str(exc))
        return redirect("web:reports", workspace.slug)
    return redirect("web:report", workspace.slug, report.pk)


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


@workspace_view("view")
def report_detail(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """One edition: settings, action plan (editable while a draft), review by section, downloads."""
    report = _report(workspace, pk)
    if not report.frozen and not _may_audit(request):
        raise Http404(_("No such report."))
    editable = report.status == ReportStatus.DRAFT and _may_audit(request)
    actions = ordered(list(Action.objects.filter(report=report)))
    rows = [{"action": a, "priority": priority(a), "form": ActionForm(instance=a, prefix=f"a{a.pk}"),
             "title": get_rule(a.rule_id).title, "severity": Severity(a.severity).label} for a in actions]
    comments = list(report.review.all())
    is_author = report.author_id == request.user.pk or (
        report.author_id is None and report.author_name == _name(request.user))
    return render(request, "reports/detail.html", {
        "workspace": workspace, "report": report, "editable": editable, "rows": rows, "comments": comments,
        "settings_form": SettingsForm(instance=report), "review_form": ReviewForm(), "is_author": is_author,
        "may_audit": _may_audit(request), "approved": services.approved(report), "formats": ReportFormat.choices,
        "sections": Section.choices})


@require_POST
@workspace_view("audit")
def report_save(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """Save the settings and the action plan of a draft (every row of the plan in one form)."""
    report = _report(workspace, pk)
    if report.status != ReportStatus.DRAFT:
        messages.error(request, _("The plan and settings can be changed while the report is a draft."))
        return redirect("web:report", workspace.slug, pk)
    forms_ok = True
    settings_form = SettingsForm(request.POST, instance=report)
    action_forms = [ActionForm(request.POST, instance=a, prefix=f"a{a.pk}") for a in Action.objects.filter(
        report=report)]
    for form in [settings_form, *action_forms]:
        forms_ok &= form.is_valid()
    if not forms_ok:
        errors = [f"{name}: {' '.join(errs)}" for form in [settings_form, *action_forms]
                  for name, errs in form.errors.items()]
        messages.error(request, _("Nothing was saved: %(errors)s") % {"errors": "; ".join(errors)})
        return redirect("web:report", workspace.slug, pk)
    settings_form.save()
    for form in action_forms:
        if form.has_changed():
            form.save()
    messages.success(request, _("Report saved."))
    return redirect("web:report", workspace.slug, pk)


@require_POST
@workspace_view("audit")
def report_step(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """Submit for review, give a verdict or a comment, or publish."""
    report = _report(workspace, pk)
    step = request.POST.get("step", "")
    try:
        if step == "submit":
            services.submit(report)
            messages.success(request, _("Submitted for review: a second auditor can now review it."))
        elif step == "review":
            form = ReviewForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Nothing was recorded: choose a verdict."))
            else:
                services.review(report, verdict=form.cleaned_data["verdict"], body=form.cleaned_data["body"],
                                section=form.cleaned_data["section"], user=request.user, name=_name(request.user))
                messages.success(request, _("Review recorded."))
        elif step == "publish":
            report = services.publish(report)
            messages.success(request, _("Published as v%(version)s: its files will never change.")
                             % {"version": report.version})
        else:
            raise Http404(_("No such step."))
    except services.ReportError as exc:
        messages.error(request, str(exc))
    return redirect("web:report", workspace.slug, pk)


@workspace_view("view")
def report_download(request: HttpRequest, workspace: Workspace, pk: int, fmt: str) -> HttpResponse:
    """The edition as DOCX, HTML or PDF: a published one as stored, a draft generated now."""
    report = _report(workspace, pk)
    if fmt not in ReportFormat.values or (not report.frozen and not _may_audit(request)):
        raise Http404(_("No such report."))
    try:
        data = services.render(report, fmt)
    except services.ReportError as exc:
        raise Http404(str(exc)) from None
    name = f"{workspace.slug}-{'v' + str(report.version) if report.version else 'draft'}.{fmt}"
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@workspace_view("view")
def interests(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """The advisor's declared interests in the workspace's vendors; auditors add and remove them."""
    form = InterestForm(workspace=workspace)
    if request.method == "POST":
        if not _may_audit(request):
            raise Http404(_("You may not declare interests in this workspace."))
        if "delete" in request.POST:
            Interest.objects.in_workspace(workspace).filter(pk=request.POST.get("delete")).delete()
            messages.success(request, _("Declaration removed."))
            return redirect("web:report_interests", workspace.slug)
        form = InterestForm(request.POST, workspace=workspace)
        if form.is_valid():
            interest = form.save(commit=False)
            interest.workspace = workspace
            interest.save()
            messages.success(request, _("Interest declared: it is shown in every report naming this vendor."))
            return redirect("web:report_interests", workspace.slug)
    declared = Interest.objects.in_workspace(workspace).select_related("party").order_by("advisor", "party__name")
    return render(request, "reports/interests.html", {"workspace": workspace, "declared": declared, "form": form,
                                                      "may_audit": _may_audit(request)})


@workspace_view("admin")
def handover_download(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    from mue.reports.handover import archive_bytes

    response = HttpResponse(archive_bytes(workspace), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{workspace.slug}-handover.zip"'
    return response
