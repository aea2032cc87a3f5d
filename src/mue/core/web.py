"""The core's page inside a workspace: deleting it (owners only), see :mod:`mue.web.pages`."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mue.core.deletion import contents, delete_workspace
from mue.core.models import Workspace
from mue.web.pages import pages
from mue.web.views.base import workspace_view


@workspace_view("admin")
def workspace_delete(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """GET: what goes with the workspace, and a field to type its slug; POST: delete it."""
    error = None
    if request.method == "POST":
        if request.POST.get("confirm_slug", "").strip() == workspace.slug:
            report = delete_workspace(workspace)
            messages.success(request, ngettext("Workspace “%(name)s” deleted (%(count)d row).",
                                               "Workspace “%(name)s” deleted (%(count)d rows).", report.total)
                             % {"name": workspace.name, "count": report.total})
            return redirect("web:home")
        error = _("Type the workspace's slug exactly to confirm.")
    return render(request, "core/workspace_delete.html", {
        "workspace": workspace, "contents": contents(workspace).by_label(), "error": error,
    }, status=400 if error else 200)


pages.add_urls([path("settings/delete/", workspace_delete, name="workspace_delete")])
pages.add_nav("workspace", gettext_lazy("Delete the workspace"), "web:workspace_delete", order=90, action="admin")
