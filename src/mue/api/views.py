"""The user's API tokens page (``/accounts/me/tokens/``): create one (its secret shown once), list, revoke."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mue.api import tokens as api_tokens
from mue.api.models import ApiToken
from mue.web.views.base import signed_in

EXPIRY_CHOICES = [("30", gettext_lazy("In 30 days")), ("90", gettext_lazy("In 90 days")),
                  ("365", gettext_lazy("In a year")), ("", gettext_lazy("Never"))]


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100,
                           help_text=gettext_lazy("What the token is for, e.g. “inventory sync”."),
                           widget=forms.TextInput(attrs={"class": "form-control"}))
    expires = forms.ChoiceField(label=gettext_lazy("Expires"), choices=EXPIRY_CHOICES, initial="90", required=False,
                                widget=forms.Select(attrs={"class": "form-select"}))
    read_only = forms.BooleanField(label=gettext_lazy("Read-only (the token may read, never write)"),
                                   required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))

    def expiry(self) -> dt.datetime | None:
        days = self.cleaned_data.get("expires")
        return timezone.now() + dt.timedelta(days=int(days)) if days else None


@signed_in
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST if request.POST.get("action") == "create" else None)
    secret = None
    if request.method == "POST" and request.POST.get("action") == "revoke":
        token = get_object_or_404(ApiToken, pk=request.POST.get("token", "0") if
                                  request.POST.get("token", "").isdigit() else 0, user=request.user)
        api_tokens.revoke(token)
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
        return redirect("api_tokens")
    if request.method == "POST" and form.is_valid():
        token, secret = api_tokens.create_token(request.user, form.cleaned_data["name"],
                                            read_only=form.cleaned_data["read_only"], expires=form.expiry())
        form = TokenForm()
    return render(request, "api/tokens.html", {
        "form": form, "secret": secret, "tokens": api_tokens.tokens_of(request.user)})
