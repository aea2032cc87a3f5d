"""The advisor's cockpit on the first page, and creating a client workspace from a starter template."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from mue.accounts.member_views import _send_invitation
from mue.dashboard.cockpit import lines, sort_lines
from mue.dashboard.forms import NewWorkspaceForm
from mue.dashboard.starters import create_from_starter, may_create_workspaces
from mue.web.views.base import signed_in

COLUMNS = [("name", gettext_lazy("Workspace")), ("score", gettext_lazy("Score")),
           ("change", pgettext_lazy("score", "Change")), ("findings", gettext_lazy("High and critical findings")),
           ("deadlines", gettext_lazy("Notice deadlines (90 days)")), ("activity", gettext_lazy("Last activity"))]


def cockpit_panel(request: HttpRequest) -> SafeString | None:
    """Every workspace of the user with its figures, sortable (``?sort=score``, ``?sort=-activity``)."""
    found, key, descending = sort_lines(lines(request.user, timezone.localdate()), request.GET.get("sort", "name"))
    may_create = may_create_workspaces(request.user)
    if not found and not may_create:
        return None
    columns = [{"key": k, "label": label, "active": k == key,
                "next": f"-{k}" if k == key and not descending else k} for k, label in COLUMNS]
    return render_to_string("dashboard/cockpit.html", {
        "lines": found, "columns": columns, "descending": descending,
        "may_create": may_create,
    }, request=request)


@signed_in
def workspace_create(request: HttpRequest) -> HttpResponse:
    """``/workspaces/new/``: a client workspace from a starter template (advisors and administrators)."""
    if not may_create_workspaces(request.user):
        return render(request, "dashboard/create_refused.html", status=403)
    form = NewWorkspaceForm(request.POST or None, initial={"language": request.LANGUAGE_CODE[:2]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            created = create_from_starter(kind=data["template"], language=data["language"], slug=data["slug"],
                                          name=data["name"], advisor=request.user,
                                          contact_email=data["contact_email"], population=data.get("population"))
            _send_invitation(request, created.invitation, created.token)
        messages.success(request, _("Workspace “%(name)s” created from the template (%(count)d objects); an "
                                    "invitation to own it was sent to %(email)s.")
                         % {"name": created.workspace.name, "count": sum(created.report.created.values()),
                            "email": data["contact_email"]})
        return redirect("web:workspace", created.workspace.slug)
    return render(request, "dashboard/create.html", {"form": form}, status=400 if form.errors else 200)
