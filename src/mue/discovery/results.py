"""What discovery tells the register: shadow IT, licence utilisation, applications nobody uses.

Each function runs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max

from mue.discovery.models import DiscoveredService, DiscoveryRun

OBSERVED_STATUSES = ("approved", "tolerated")


def latest_run(workspace) -> DiscoveryRun | None:
    return DiscoveryRun.objects.filter(workspace=workspace).order_by("-started", "-id").first()


def shadow_it(workspace, run: DiscoveryRun | None = None) -> list[DiscoveredService]:
    """Applications seen in the run (the latest by default) that no register application matches.

    Only services of kind ``application``: advertising, CDNs, certificate checks, updates, embedded resources and
    vendor accounts are what browsers and systems fetch on their own, never shadow IT.
    """
    run = run or latest_run(workspace)
    if run is None:
        return []
    return list(run.services.filter(application__isnull=True, kind="application")
                .order_by("-users", "-requests", "service_id"))


def discovered(run: DiscoveryRun) -> list[DiscoveredService]:
    """Every service of a run, with its register application when there is one."""
    return list(run.services.select_related("application").order_by("-users", "-requests", "service_id"))


def register_status(service: DiscoveredService) -> str:
    """``registered`` (a register application matches), ``shadow`` (an application the register lacks) or
    ``not-an-application`` (advertising, CDN, updates...: never proposed for the register)."""
    if not service.is_application:
        return "not-an-application"
    return "registered" if service.application_id else "shadow"


def service_rows(services: list[DiscoveredService], catalogue) -> list[dict]:
    """Each discovered service with its figures, as the report shows them (the terminal table and ``--json``)."""
    rows = []
    for s in services:
        entry = catalogue.get(s.service_id)
        app = s.application
        rows.append({
            "service": s.service_id, "name": s.name, "vendor": entry.vendor if entry else "", "kind": s.kind,
            "category": s.category, "users": s.users, "requests": s.requests, "bytes": s.bytes,
            "first_seen": s.first_seen.isoformat(), "last_seen": s.last_seen.isoformat(),
            "risk": None if s.risk_score is None else float(s.risk_score), "units": s.units,
            "register": register_status(s),
            "application": ({"slug": app.slug, "name": app.name, "status": app.status} if app else None),
        })
    return rows


@dataclass
class Utilisation:
    application: object
    seats: int
    active_users: int
    month: dt.date | None

    @property
    def ratio(self) -> float | None:
        return self.active_users / self.seats if self.seats else None


def licence_utilisation(workspace) -> list[Utilisation]:
    """Applications with paid seats against the active users of their latest observed month (two queries)."""
    from mue.applications.models import Application
    from mue.usage.models import UsageObservation

    apps = list(Application.objects.filter(workspace=workspace, seats__isnull=False).order_by("slug"))
    latest: dict[int, tuple[dt.date, int]] = {}
    rows = (UsageObservation.objects.filter(workspace=workspace, application__in=[a.id for a in apps])
            .values("application_id", "month").annotate(users=Max("active_users")).order_by("application_id", "month"))
    for row in rows:
        # Several sources may observe the same month: the largest count is the closest to the truth.
        latest[row["application_id"]] = (row["month"], row["users"])
    return [Utilisation(a, a.seats, latest.get(a.id, (None, 0))[1], latest.get(a.id, (None, 0))[0]) for a in apps]


def unused_applications(workspace, catalogue) -> tuple[list, list]:
    """(observable applications without any observed use, applications logs cannot see).

    Observable: approved or tolerated applications matched to a catalogue service (their traffic would show in
    the logs). Not observable: the others (on-premises, desktop, or a service the catalogue lacks: map it).
    """
    from mue.applications.models import Application
    from mue.discovery.store import application_matches
    from mue.usage.models import UsageObservation

    matched = {app.id for app in application_matches(workspace, catalogue).values()}
    used = set(UsageObservation.objects.filter(workspace=workspace).values_list("application_id", flat=True)
               .distinct())
    unused, blind = [], []
    for app in Application.objects.filter(workspace=workspace, status__in=OBSERVED_STATUSES).order_by("slug"):
        if app.id not in matched:
            blind.append(app)
        elif app.id not in used:
            unused.append(app)
    return unused, blind
