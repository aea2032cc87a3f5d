"""The catalogue's pages: the service catalogue with its levels, the contract of a unit (draft, its
recorded versions, downloads), and the levels tab of a service with its feasibility.

Feasibility reads the dependency graph (a constant number of queries, a third of a second on the
largest workspaces): the service tab loads it afterwards (htmx), like the graph's own tab.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mue.catalogue import contracts
from mue.catalogue.content import LIVE, build_content
from mue.catalogue.feasibility import breaches_by_level, check_levels
from mue.catalogue.models import ServiceContract, ServiceContractFile, ServiceLevel, ServiceLevelTarget
from mue.core.models import Workspace
from mue.core.registry import ObjectType, registry
from mue.organization.models import Unit
from mue.reports.choices import CONTENT_TYPES
from mue.reports.word import TemplateError
from mue.services.models import Service
from mue.web.spec import object_url
from mue.web.views.base import workspace_view


def _url(workspace: Workspace, singular: str, slug: str) -> str:
    return object_url(workspace.slug, registry.by_singular(singular), slug)


def _levels_queryset():
    targets = Prefetch("targets", queryset=ServiceLevelTarget.objects.order_by("priority"))
    return ServiceLevel.objects.select_related("support_team", "it_contact", "business_contact").prefetch_related(
        targets).order_by("slug")


@workspace_view("view")
def catalogue_page(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """``/w/<ws>/catalogue/``: every live service with its levels and whether they can be kept."""
    services = list(Service.objects.filter(workspace=workspace, lifecycle__in=LIVE).select_related(
        "business_owner", "it_owner").prefetch_related(Prefetch("levels", queryset=_levels_queryset()))
        .order_by("name"))
    levels = [lv for s in services for lv in s.levels.all()]
    for s in services:
        for lv in s.levels.all():
            lv.service = s
    breaches = breaches_by_level(check_levels(workspace, levels)) if levels else {}
    rows = []
    for s in services:
        level = next(iter(s.levels.all()), None)
        p1 = next((t for t in level.targets.all() if t.priority == "P1"), None) if level else None
        found = [b for lv in s.levels.all() for b in breaches.get(lv.pk, [])]
        rows.append({"service": s, "url": _url(workspace, "service", s.slug), "level": level,
                     "level_url": _url(workspace, "service_level", level.slug) if level else None,
                     "p1": p1, "breaches": found,
                     "rto": level.effective_rto if level else s.rto_hours,
                     "rpo": level.effective_rpo if level else s.rpo_hours})
    rows.sort(key=lambda r: r["level"] is None)  # agreed services first, each group by name (stable sort)
    units = Unit.objects.filter(workspace=workspace, is_it=False, services__lifecycle__in=LIVE).distinct().order_by(
        "name")
    return render(request, "catalogue/catalogue.html", {
        "rows": rows, "agreed": len([r for r in rows if r["level"]]),
        "breach_count": sum(len(r["breaches"]) for r in rows), "units": units,
        "new_level_url": reverse("web:object_create", args=[workspace.slug, "service-levels"]),
    })


def _unit(workspace: Workspace, slug: str) -> Unit:
    unit = Unit.objects.filter(workspace=workspace, slug=slug).first()
    if unit is None:
        raise Http404(_("No such unit."))
    return unit


def _language(request: HttpRequest) -> str:
    language = request.GET.get("language") or request.POST.get("language") or "fr"
    return language if language in ("fr", "en") else "fr"


@workspace_view("view")
def unit_contract(request: HttpRequest, workspace: Workspace, slug: str) -> HttpResponse:
    """``/w/<ws>/catalogue/units/<unit>/contract/``: the draft as the register states it, the recorded
    versions; ``?format=docx|html`` downloads the draft."""
    unit = _unit(workspace, slug)
    language = _language(request)
    fmt = request.GET.get("format")
    if fmt:
        if fmt not in contracts.FORMATS:
            raise Http404(_("Unknown format."))
        data = contracts.draft(workspace, unit, language, fmt)
        response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{workspace.slug}-{unit.slug}-contract-draft.{fmt}"'
        return response
    versions = ServiceContract.objects.filter(workspace=workspace, unit=unit).select_related(
        "it_signatory", "business_signatory").annotate(
        has_file=Exists(ServiceContractFile.objects.filter(contract=OuterRef("pk")))).order_by("-version")
    return render(request, "catalogue/contract_page.html", {
        "unit": unit, "c": build_content(workspace, unit, language), "language": language,
        "versions": [{"record": v, "url": _url(workspace, "service_contract", v.slug),
                      "file_url": reverse("web:catalogue_contract_file", args=[workspace.slug, v.slug])
                      if v.has_file else None}
                     for v in versions],
        "may_change": "change" in getattr(request, "workspace_actions", set()),
    })


@require_POST
@workspace_view("change")
def record_contract(request: HttpRequest, workspace: Workspace, slug: str) -> HttpResponse:
    """Keep the draft as the unit's next version, with its DOCX."""
    unit = _unit(workspace, slug)
    review = None
    if request.POST.get("review_date"):
        try:
            review = dt.date.fromisoformat(request.POST["review_date"])
        except ValueError:
            messages.error(request, _("The review date is not a date (YYYY-MM-DD)."))
            return redirect("web:catalogue_unit_contract", workspace.slug, unit.slug)
    try:
        record = contracts.record_version(workspace, unit, _language(request), review_date=review)
    except (contracts.ContractError, TemplateError) as exc:
        messages.error(request, str(exc))
        return redirect("web:catalogue_unit_contract", workspace.slug, unit.slug)
    messages.success(request, _("%(contract)s recorded. Set the sign-off dates on the version once signed.")
                     % {"contract": record.name})
    return redirect("web:catalogue_unit_contract", workspace.slug, unit.slug)


@workspace_view("view")
def contract_file(request: HttpRequest, workspace: Workspace, slug: str) -> HttpResponse:
    """A recorded version's DOCX, as it was generated."""
    record = ServiceContract.objects.filter(workspace=workspace, slug=slug).first()
    if record is None:
        raise Http404(_("No such service contract."))
    try:
        data = contracts.stored_file(record)
    except contracts.ContractError as exc:
        raise Http404(str(exc)) from None
    response = HttpResponse(data, content_type=CONTENT_TYPES["docx"])
    response["Content-Disposition"] = f'attachment; filename="{workspace.slug}-{record.slug}.docx"'
    return response


@workspace_view("view")
def service_feasibility(request: HttpRequest, workspace: Workspace, slug: str) -> HttpResponse:
    """The breaches of a service's levels (the fragment its tab loads)."""
    service = Service.objects.filter(workspace=workspace, slug=slug).first()
    if service is None:
        raise Http404(_("No such service."))
    levels = list(ServiceLevel.objects.filter(service=service).select_related("support_team"))
    for level in levels:
        level.service = service
    breaches = check_levels(workspace, levels)
    return render(request, "catalogue/_breaches.html", {"breaches": breaches, "levels": levels})


def levels_tab(request: HttpRequest, workspace: Workspace, obj, otype: ObjectType) -> SafeString:
    """The service page's tab: its levels and targets, then their feasibility (loaded after)."""
    levels = list(_levels_queryset().filter(service=obj))
    return render_to_string("catalogue/_tab.html", {
        "levels": [{"level": lv, "url": _url(workspace, "service_level", lv.slug)} for lv in levels],
        "service": obj, "workspace": workspace,
        "feasibility_url": reverse("web:catalogue_feasibility", args=[workspace.slug, obj.slug]),
        "new_level_url": reverse("web:object_create", args=[workspace.slug, "service-levels"]) + f"?service={obj.slug}",
        "catalogue_url": reverse("web:catalogue", args=[workspace.slug]),
    }, request=request)
