"""The page of requests for information sent to vendors: record one, record each vendor's answer."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mue.core.models import Workspace
from mue.reports.models import InformationRequest, RequestRecipient
from mue.reports.requests import RequestError, record_answer, record_request
from mue.vendors.models import ExternalParty
from mue.web.views.base import workspace_view


class RequestForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=200,
                              widget=forms.TextInput(attrs={"class": "form-control"}))
    question = forms.CharField(label=gettext_lazy("Question"), required=False, max_length=10_000,
                               widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))
    sent_on = forms.DateField(label=gettext_lazy("Sent on"),
                              widget=forms.DateInput(attrs={"type": "date", "class": "form-control"},
                                                     format="%Y-%m-%d"))
    recipients = forms.MultipleChoiceField(label=gettext_lazy("Sent to"), widget=forms.SelectMultiple(
        attrs={"class": "form-select", "data-mue-enhance": ""}))

    def __init__(self, *args, workspace: Workspace, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipients"].choices = list(
            ExternalParty.objects.in_workspace(workspace).order_by("name").values_list("slug", "name"))


class AnswerForm(forms.Form):
    request_id = forms.IntegerField(widget=forms.HiddenInput)
    vendor = forms.CharField(widget=forms.HiddenInput, max_length=100)
    answered_on = forms.DateField(label=gettext_lazy("Answered on"),
                                  widget=forms.DateInput(attrs={"type": "date", "class": "form-control"},
                                                         format="%Y-%m-%d"))
    answer = forms.CharField(label=gettext_lazy("Answer"), max_length=10_000,
                             widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


@workspace_view("view")
def information_requests(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """``/w/<ws>/reports/requests/``: what was asked of which vendor, and their answers (three queries)."""
    may_audit = "audit" in request.workspace_actions
    today = timezone.localdate()
    form = RequestForm(initial={"sent_on": today}, workspace=workspace)
    if request.method == "POST":
        if not may_audit:
            raise Http404(_("You may not record requests in this workspace."))
        if request.POST.get("form") == "answer":
            answer = AnswerForm(request.POST)
            if answer.is_valid():
                data = answer.cleaned_data
                try:
                    record_answer(workspace, data["request_id"], data["vendor"], data["answer"],
                                  answered_on=data["answered_on"])
                except RequestError as exc:
                    messages.error(request, str(exc))
                else:
                    messages.success(request, _("Answer recorded."))
                    return redirect("web:report_requests", workspace.slug)
            else:
                messages.error(request, _("Give the answer and its date."))
        else:
            form = RequestForm(request.POST, workspace=workspace)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    record_request(workspace, data["subject"], data["recipients"], question=data["question"],
                                   sent_on=data["sent_on"])
                except RequestError as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, _("Request recorded: every report lists it with its answers."))
                    return redirect("web:report_requests", workspace.slug)
    sent = list(InformationRequest.objects.in_workspace(workspace).order_by("-sent_on", "-id"))
    recipients: dict[int, list[RequestRecipient]] = {r.pk: [] for r in sent}
    for rec in RequestRecipient.objects.filter(request__workspace=workspace).select_related("party").order_by(
            "request_id", "party__name"):
        recipients[rec.request_id].append(rec)
    rows = [{"request": r, "recipients": [{"rec": rec, "form": AnswerForm(
        initial={"request_id": r.pk, "vendor": rec.party.slug, "answered_on": rec.answered_on or today,
                 "answer": rec.answer}, auto_id=f"id_{r.pk}_{rec.party.slug}_%s")} for rec in recipients[r.pk]]}
            for r in sent]
    return render(request, "reports/requests.html", {"workspace": workspace, "rows": rows, "form": form,
                                                     "may_audit": may_audit})
