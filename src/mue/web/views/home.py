"""The pages outside the register types: the list of one's workspaces, a workspace's overview; both
show the panels domains add to them (the cockpit across workspaces, a workspace's dashboard)."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst

from mue.core.access import workspaces_for
from mue.core.models import ChangeLogEntry, Membership, Workspace
from mue.core.registry import registry
from mue.web.pages import pages
from mue.web.spec import type_segment
from mue.web.state_cache import for_state
from mue.web.views.base import signed_in, workspace_view


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    """The workspaces the user belongs to, with their role; straight into the only one if there is one."""
    memberships = list(Membership.objects.filter(user=request.user).select_related("workspace")
                       .order_by("workspace__name"))
    if len(memberships) == 1 and not request.GET.get("all"):
        return redirect("web:workspace", memberships[0].workspace.slug)
    panels = _panels(pages.panels_for("home"), request)
    return render(request, "web/home.html", {"memberships": memberships, "panels": panels})


def _panels(entries, request: HttpRequest, *args) -> list[dict]:
    """The panels domains add to a front page (:meth:`PageRegistry.add_panel`) that have something to show."""
    out = []
    for panel in entries:
        html = panel.render(request, *args)
        if html is not None:
            out.append({"key": panel.key, "html": html})
    return out


@signed_in
def switch(request: HttpRequest) -> HttpResponse:
    """Target of the workspace switcher (a GET form, so it also works without JavaScript)."""
    slug = request.GET.get("workspace", "")
    if slug and workspaces_for(request.user).filter(slug=slug).exists():
        return redirect("web:workspace", slug)
    return redirect(reverse("web:home") + "?all=1")


@workspace_view("view")
def workspace_overview(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """A workspace's front page: how many objects of each type, grouped by domain, and the last changes."""
    singulars = {t.singular for t in registry}
    # One COUNT per type, 0.1 s on the largest registers: once per state of the register.
    counts = for_state(workspace, "type-counts", lambda: {
        otype.key: otype.model.objects.filter(workspace=workspace).aggregate(n=Count("id"))["n"] for otype in registry})
    groups: dict[str, dict] = {}
    for otype in registry:
        config = otype.model._meta.app_config
        group = groups.setdefault(config.label, {"label": config.verbose_name, "types": []})
        group["types"].append({
            "label": capfirst(otype.label_plural), "count": counts[otype.key],
            "url": reverse("web:object_list", args=[workspace.slug, type_segment(otype)]),
        })
    recent = []
    for entry in ChangeLogEntry.objects.filter(workspace=workspace).order_by("-time", "-id")[:10]:
        label = registry.by_singular(entry.object_type).label if entry.object_type in singulars else entry.object_type
        recent.append({"entry": entry, "type_label": label})
    return render(request, "web/workspace.html", {
        "groups": list(groups.values()), "recent": recent, "total": sum(counts.values()),
        "panels": _panels(pages.panels_for("workspace"), request, workspace),
    })
