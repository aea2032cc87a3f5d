"""The skills pages: the team heat map with the bus factors, and a person's assessment form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from mue.core.models import Workspace
from mue.core.registry import ObjectType, registry
from mue.interchange.importer import ImportFailed, import_document
from mue.organization.models import Person, Unit
from mue.skills.analysis import bus_factors, heat_map, role_gaps, with_bus_factor
from mue.skills.digcomp import framework
from mue.skills.forms import AssessmentForm
from mue.skills.models import AssessedBy, Assessment, Requirement
from mue.skills.people import may_assess, person_of
from mue.web.spec import object_url
from mue.web.views.base import workspace_view
from mue.web.views.edit import signal_saved


def _chart(hm) -> dict[str, Any]:
    """The heat map as charts.js reads it: cells [area index, row index, mean level]."""
    cells = [[x, y, hm.value(slug, code)] for y, (slug, _n, _c) in enumerate(hm.rows)
             for x, (code, _t) in enumerate(hm.areas) if hm.value(slug, code) is not None]
    return {"type": "heatmap", "labels": [title for _c, title in hm.areas], "rows": [name for _s, name, _c in hm.rows],
            "cells": cells, "min": 1, "max": 8, "label": _("mean level")}


@workspace_view("view")
def skills_home(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """``/w/<ws>/skills/[?unit=slug]``: units (or one unit's people) × DigComp areas, bus factors, gaps."""
    unit = None
    if request.GET.get("unit"):
        unit = get_object_or_404(Unit, workspace=workspace, slug=request.GET["unit"])
    hm = heat_map(workspace, unit)
    table = [{"slug": slug, "name": name, "people": count,
              "values": [hm.value(slug, code) for code, _t in hm.areas]} for slug, name, count in hm.rows]
    person_type = registry.by_singular("person")
    service_type = registry.by_singular("service")
    bus = [{"service": row.service, "url": object_url(workspace.slug, service_type, row.service.slug),
            "bus_factor": row.bus_factor, "measured": row.measured,
            "people": [(p.name, object_url(workspace.slug, person_type, p.slug)) for p in row.people]}
           for row in bus_factors(workspace)]
    may_manage = "change" in request.workspace_actions
    people = []
    if may_manage:
        people = list(Person.objects.filter(workspace=workspace, external=False).select_related("unit")
                      .annotate(assessed=Count("skill_assessments")).order_by("unit__name", "name"))
    return render(request, "skills/home.html", {
        "unit": unit, "units": Unit.objects.filter(workspace=workspace).order_by("name"),
        "areas": hm.areas, "table": table, "chart": _chart(hm), "bus": bus, "gaps": role_gaps(workspace),
        "me": person_of(request.user, workspace), "may_manage": may_manage, "people": people,
        "framework": framework()})


def _save(request: HttpRequest, workspace: Workspace, person: Person, levels: dict[str, int | None],
          as_self: bool) -> tuple[int, int] | None:
    """Write the levels that changed through the importer, delete the cleared ones; (changed, cleared)."""
    current = {a.competence: a for a in Assessment.objects.filter(person=person)}
    today = timezone.localdate().isoformat()
    me = None if as_self else person_of(request.user, workspace)
    items = []
    for code, level in levels.items():
        held = current.get(code)
        if level is None or (held is not None and held.level == level):
            continue
        item = {"slug": held.slug if held else None, "person": person.slug, "competence": code, "level": level,
                "assessed_on": today, "assessed_by": AssessedBy.SELF if as_self else AssessedBy.MANAGER,
                "assessor": me.slug if me else None}
        if held is None:
            item.pop("slug")
            item["name"] = f"{person.name} · {code}"[:200]
        items.append(item)
    cleared = [held for code, held in current.items() if levels.get(code) is None]
    with transaction.atomic():
        if items:
            import_document({"skill_assessments": items}, source=_("skill assessments"), workspace=workspace.slug,
                            actor=request.user.get_username(), channel="web")
        for held in cleared:
            held.delete()  # logged by the change log's signals; the level stays in the history
        if items or cleared:
            signal_saved(request, registry.by_singular("skill_assessment"), None)
    return len(items), len(cleared)


@workspace_view("view")
def assess(request: HttpRequest, workspace: Workspace, person: str) -> HttpResponse:
    """``/w/<ws>/skills/assess/<person>/``: the person's levels, set by themselves or by a manager."""
    subject = get_object_or_404(Person.objects.select_related("unit"), workspace=workspace, slug=person)
    allowed, as_self = may_assess(request.user, workspace, subject, request.workspace_actions)
    if not allowed:
        raise PermissionDenied(_("Only the person and the workspace's editors may assess these skills."))
    current = {a.competence: a for a in Assessment.objects.filter(person=subject).select_related("assessor")}
    from mue.skills.forms import field_name

    initial = {field_name(code): a.level for code, a in current.items()}
    form = AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed, cleared = _save(request, workspace, subject, form.levels(), as_self)
        except ImportFailed as failed:
            for problem in failed.problems:
                form.add_error(None, problem.message)
        else:
            if changed or cleared:
                messages.success(request, _("Levels saved: %(changed)d set, %(cleared)d cleared.")
                                 % {"changed": changed, "cleared": cleared})
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(reverse("web:skills", args=[workspace.slug])
                            + (f"?unit={subject.unit.slug}" if subject.unit else ""))
    return render(request, "skills/assess.html", {
        "subject": subject, "form": form, "as_self": as_self, "current": current,
        "levels": framework().levels, "framework": framework(),
        "requirements": Requirement.objects.filter(workspace=workspace, role__iexact=subject.role.strip())
        if subject.role.strip() else []})


def service_tab(request: HttpRequest, workspace: Workspace, obj: Any, otype: ObjectType) -> SafeString | None:
    """The skills a service requires and its bus factor, on its detail page."""
    service = with_bus_factor(type(obj).objects.filter(pk=obj.pk)).get()
    requirements = list(Requirement.objects.filter(service=obj).order_by("competence"))
    rows = [(r, framework().competence(r.competence)) for r in requirements]
    return render_to_string("skills/_service_tab.html", {"service": service, "rows": rows, "workspace": workspace},
                            request=request)


def person_tab(request: HttpRequest, workspace: Workspace, obj: Any, otype: ObjectType) -> SafeString | None:
    """A person's assessed levels, with the link to the form for whoever may assess them."""
    assessments = list(Assessment.objects.filter(person=obj).select_related("assessor").order_by("competence"))
    allowed, as_self = may_assess(request.user, workspace, obj, request.workspace_actions)
    if not assessments and not allowed:
        return None
    rows = [(a, framework().competence(a.competence)) for a in assessments]
    return render_to_string("skills/_person_tab.html", {
        "person": obj, "rows": rows, "allowed": allowed, "as_self": as_self, "workspace": workspace,
        "today": dt.date.today()}, request=request)
