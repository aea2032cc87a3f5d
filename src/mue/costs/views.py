"""The costs page, the renewal calendar page (with its calendar feeds) and the feed itself."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mue.core.models import Workspace
from mue.costs import feeds as calendar_feeds
from mue.costs.models import CalendarFeed
from mue.costs.renewals import by_month, renewals
from mue.costs.tco import compute
from mue.web.views.base import workspace_view

#: The register type (its URL segment) each table of the costs page links to.
SEGMENTS = {"service": "services", "application": "applications", "unit": "units", "vendor": "parties"}
#: Bars drawn in a chart at most (the tables list every row).
CHART_ROWS = 12


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 1900 <= int(value) <= 2200 else None


def _bars(rows: list, label: str) -> dict[str, Any]:
    shown = [r for r in rows if r.slug is not None][:CHART_ROWS]
    return {"labels": [r.name for r in shown], "values": [round(float(r.amount)) for r in shown], "label": label}


@workspace_view("view")
def costs_page(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """``/w/<ws>/cost-of-ownership/[?year=N]``: what the services, units, applications and vendors cost in a year."""
    report = compute(workspace, _year(request))
    links = {}
    for dimension, segment in SEGMENTS.items():
        links[dimension] = [
            (row, reverse("web:object_detail", args=[workspace.slug, segment, row.slug]) if row.slug else None)
            for row in report.rows[dimension]]
    charts = {
        "units": _bars(report.rows["unit"], _("Cost of the services used")),
        "services": _bars(report.rows["service"], _("Cost")),
        "trend": {"labels": [str(y) for y in report.years], "values": [round(float(report.totals[y]))
                                                                       for y in report.years], "label": _("Total")},
    }
    return render(request, "costs/costs.html", {
        "report": report, "links": links, "charts": charts,
        "unattributed": next((r for r in report.rows["service"] if r.slug is None), None),
        "costs_url": reverse("web:object_list", args=[workspace.slug, "costs"]),
    })


@workspace_view("view")
def renewals_page(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """``/w/<ws>/renewals/``: contract ends and notice deadlines by month, and the calendar feeds."""
    may_change = "change" in request.workspace_actions
    secret = None
    if request.method == "POST":
        if not may_change:
            return HttpResponseForbidden(_("You may not change this workspace."))
        action = request.POST.get("action")
        if action == "create":
            feed, secret = calendar_feeds.create_feed(workspace, request.POST.get("name", ""), request.user)
        elif action == "revoke":
            pk = request.POST.get("feed", "")
            feed = get_object_or_404(CalendarFeed, pk=int(pk) if pk.isdigit() else 0, workspace=workspace)
            calendar_feeds.revoke(feed)
            messages.success(request, _("Calendar address “%(name)s” revoked: it no longer answers.")
                             % {"name": feed.name})
            return redirect("web:renewals", workspace.slug)
        else:
            return redirect("web:renewals", workspace.slug)
    today = dt.date.today()
    items = renewals(workspace, today=today)
    months = [(month, [(r, r.days_left) for r in group]) for month, group in by_month(items)]
    return render(request, "costs/renewals.html", {
        "months": months, "count": len(items), "today": today, "may_change": may_change,
        "feeds": calendar_feeds.feeds_of(workspace) if may_change else [],
        "secret": secret,
        "feed_url": request.build_absolute_uri(reverse("web:calendar_feed", args=[secret])) if secret else None,
        "alarm_days": calendar_feeds.ALARM_DAYS,
    })


@require_GET
def calendar_feed(request: HttpRequest, secret: str) -> HttpResponse:
    """``/calendar/<secret>.ics``: the renewal calendar, for calendar applications (no sign-in: the secret
    is the key). An unknown or revoked secret is a 404, whatever it was."""
    feed = calendar_feeds.find_feed(secret)
    if feed is None:
        raise Http404(_("No such calendar."))
    calendar_feeds.touch(feed)
    body = calendar_feeds.calendar(feed.workspace, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{feed.workspace.slug}-renewals.ics"'
    response["Cache-Control"] = "private, max-age=3600"
    return response
