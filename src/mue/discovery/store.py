"""Writing a discovery to the database: the run, its services, per-user-day totals and usage observations.

Query counts do not depend on the number of rows: every table is read once and written in bulk.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from mue.core.bulk import insert_rows, stored_dates, stored_datetimes, update_rows
from mue.discovery.catalogue import Catalogue
from mue.discovery.engine import Discovery
from mue.discovery.models import DiscoveredService, DiscoveryRun, DiscoverySettings, RiskOverride, ServiceUserDay
from mue.discovery.privacy import Pseudonymiser, person_identifiers
from mue.discovery.risk import score

EPOCH = dt.date(1970, 1, 1)


def settings_for(workspace) -> DiscoverySettings:
    """The workspace's discovery settings, created with a fresh key on first use."""
    found, _ = DiscoverySettings.objects.get_or_create(workspace=workspace)
    return found


def pseudonymiser_for(workspace) -> Pseudonymiser:
    s = settings_for(workspace)
    return Pseudonymiser(s.key, s.allow_names)


def _aware(ts: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts, dt.UTC)


def user_units(workspace, pseudonymise: Pseudonymiser) -> dict[str, str]:
    """Stored user id -> unit slug, for every person of the workspace with a unit (one query).

    People's identifiers go through the same pseudonymisation as the logs, so the match works on pseudonyms.
    """
    from mue.organization.models import Person

    units: dict[str, str] = {}
    for email, slug, unit in (Person.objects.filter(workspace=workspace, unit__isnull=False)
                              .values_list("email", "slug", "unit__slug")):
        for identifier in person_identifiers(email, slug):
            units.setdefault(pseudonymise(identifier), unit)
    return units


def application_matches(workspace, catalogue: Catalogue) -> dict[str, object]:
    """Catalogue service id -> register application (two queries).

    An explicit :class:`ApplicationMapping` (``mue discover --link``) wins; else the application's address host
    matched like a log host; else the application's slug or name is the service's id or name, or starts with it
    (``dropbox-urbanisme``, « Dropbox urbanisme »: the register names its own instance of the service); else the
    application's vendor is the catalogue vendor of exactly one application. Only catalogue applications are
    matched: an advertising network or a CDN is never a register application.
    """
    from urllib.parse import urlsplit

    from mue.applications.models import Application
    from mue.discovery.models import ApplicationMapping

    apps = list(Application.objects.filter(workspace=workspace).select_related("vendor").order_by("slug"))
    by_id = {a.id: a for a in apps}
    found: dict[str, object] = {}
    names: dict[str, str] = {}
    by_vendor: dict[str, list[str]] = defaultdict(list)
    for service in catalogue:
        if not service.is_application:
            continue
        names.setdefault(service.id, service.id)
        names.setdefault(service.name.casefold(), service.id)
        # "ChatGPT / OpenAI", "Claude (Anthropic)": each name the service goes by.
        for part in re.split(r"[/(),]", service.name):
            part = part.strip().casefold()
            if len(part) >= 3:
                names.setdefault(part, service.id)
                names.setdefault(slugify(part), service.id)
        by_vendor[service.vendor.casefold()].append(service.id)
    # Longest first, so "google-drive-x" is Google Drive, not Google.
    prefixes = sorted(names, key=len, reverse=True)

    def by_prefix(text: str) -> str | None:
        for name in prefixes:
            if len(text) > len(name) and text.startswith(name) and text[len(name)] in "- _(":
                return names[name]
        return None

    for app in apps:
        sid = None
        if app.url:
            host = (urlsplit(app.url).hostname or "").lower()
            sid = catalogue.match(host) if host else None
            if sid is not None and not catalogue.get(sid).is_application:
                sid = None
        if sid is None:
            sid = names.get(app.slug) or names.get(app.name.casefold())
        if sid is None:
            sid = by_prefix(app.slug) or by_prefix(app.name.casefold())
        if sid is None and app.vendor is not None and len(by_vendor.get(app.vendor.name.casefold(), ())) == 1:
            sid = by_vendor[app.vendor.name.casefold()][0]
        if sid is not None:
            found.setdefault(sid, app)
    for mapping in ApplicationMapping.objects.filter(workspace=workspace):
        if mapping.application_id in by_id:
            found[mapping.service_id] = by_id[mapping.application_id]
    return found


def risk_scores(workspace, catalogue: Catalogue, service_ids) -> dict[str, object]:
    """Service id -> RiskScore with the workspace's weights and overrides (one query)."""
    weights = settings_for(workspace).risk_weights
    overrides = {o.service_id: (o.score, o.note) for o in RiskOverride.objects.filter(workspace=workspace)}
    out = {}
    for sid in service_ids:
        service = catalogue.get(sid)
        if service is not None:
            out[sid] = score(service, weights, overrides.get(sid))
    return out


def _add_use(totals: dict, key, user: str, requests: int, nbytes: int, first, last) -> None:
    """Add one (user, requests, bytes, first, last) to the totals kept under ``key``: distinct users, sums, span."""
    cell = totals.get(key)
    if cell is None:
        cell = totals[key] = {"users": set(), "requests": 0, "bytes": 0, "first": first, "last": last}
    if user:
        cell["users"].add(user)
    cell["requests"] += requests
    cell["bytes"] += nbytes
    if first < cell["first"]:  # not min()/max(): this runs once per user-day, hundreds of thousands of times
        cell["first"] = first
    if last > cell["last"]:
        cell["last"] = last


@transaction.atomic
def save(workspace, discovery: Discovery, catalogue: Catalogue, started: dt.datetime,
         pseudonymise: Pseudonymiser, report: dict) -> DiscoveryRun:
    """Store a discovery: the run and its services, merged user-day totals, and usage observations."""
    run = DiscoveryRun.objects.create(
        workspace=workspace, started=started, finished=timezone.now(), files=discovery.files,
        bytes_read=discovery.bytes_read, lines=discovery.lines, malformed=discovery.malformed, report=report)
    apps = application_matches(workspace, catalogue)
    units = user_units(workspace, pseudonymise)
    _merge_user_days(workspace, discovery)

    per_service: dict[str, dict] = {}
    for (_source, sid, user, _day), (requests, nbytes, first, last) in discovery.usage.items():
        _add_use(per_service, sid, user, requests, nbytes, first, last)
    risks = risk_scores(workspace, catalogue, per_service)
    rows = []
    for sid, s in per_service.items():
        service = catalogue.get(sid)
        unit_counts: dict[str, int] = defaultdict(int)
        for user in s["users"]:
            if user in units:
                unit_counts[units[user]] += 1
        kind = service.kind if service else "application"
        # Only applications are matched to the register: an ad network or a CDN is never an application in use.
        app = apps.get(sid) if kind == "application" else None
        rows.append(DiscoveredService(
            run=run, service_id=sid, name=service.name if service else sid, kind=kind,
            category=service.category if service else "other", application=app, users=len(s["users"]),
            requests=s["requests"], bytes=s["bytes"], first_seen=_aware(s["first"]), last_seen=_aware(s["last"]),
            units=dict(sorted(unit_counts.items())),
            risk_score=risks[sid].score if sid in risks else None))
    DiscoveredService.objects.bulk_create(rows, batch_size=500)
    write_observations(workspace, discovery, apps)
    return run


def _merge_user_days(workspace, discovery: Discovery) -> None:
    """Add this run's totals to the stored ones (a day split over rotated files adds up).

    Plain rows through one prepared statement (:mod:`mue.core.bulk`): a run writes thousands of user-days, and
    building a model instance for each cost more than reading the log's aggregates. Days and times are converted
    as columns (:func:`mue.core.bulk.stored_datetimes`), to exactly what the fields' own methods store.
    """
    if not discovery.usage:
        return
    days = [key[3] for key in discovery.usage]
    lo, hi = EPOCH + dt.timedelta(days=min(days)), EPOCH + dt.timedelta(days=max(days))
    services = {key[1] for key in discovery.usage}
    existing = {(source, sid, user, (day - EPOCH).days): (pk, requests, nbytes, first, last)
                for pk, source, sid, user, day, requests, nbytes, first, last in ServiceUserDay.objects.filter(
                    workspace=workspace, service_id__in=services, day__gte=lo, day__lte=hi).values_list(
                    "pk", "source", "service_id", "user", "day", "requests", "bytes", "first_seen", "last_seen")}
    new, changed = [], []
    for key, cell in discovery.usage.items():
        row = existing.get(key)
        if row is None:
            new.append((key, cell))
        else:
            requests, nbytes, first, last = cell
            pk, stored_requests, stored_bytes, stored_first, stored_last = row
            changed.append((stored_requests + requests, stored_bytes + nbytes, min(stored_first, _aware(first)),
                            max(stored_last, _aware(last)), pk))
    # The new rows' days and times converted as columns, at once: a run can write hundreds of thousands.
    days = stored_dates([key[3] for key, _cell in new])
    firsts = stored_datetimes([cell[2] for _key, cell in new])
    lasts = stored_datetimes([cell[3] for _key, cell in new])
    insert_rows(ServiceUserDay, ["source", "service_id", "user", "day", "requests", "bytes", "first_seen",
                                 "last_seen"],
                ((key[0], key[1], key[2], day, cell[0], cell[1], first, last)
                 for (key, cell), day, first, last in zip(new, days, firsts, lasts, strict=True)),
                constants={"workspace_id": workspace.id}, converted=("day", "first_seen", "last_seen"))
    update_rows(ServiceUserDay, ["requests", "bytes", "first_seen", "last_seen"], changed)


def write_observations(workspace, discovery: Discovery, apps: dict[str, object]) -> int:
    """Recompute the usage observations of the months this run touched, for services matched to applications.

    Active users are the distinct users of the month over every run (from the stored user-day totals), over all
    the catalogue services mapped to the same application.
    """
    from mue.usage.models import UsageObservation

    mapped = {sid for sid in {key[1] for key in discovery.usage} if sid in apps}
    if not mapped:
        return 0
    months = {(EPOCH + dt.timedelta(days=key[3])).replace(day=1) for key in discovery.usage if key[1] in mapped}
    lo = min(months)
    last = max(months)
    hi = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    cells: dict[tuple[int, dt.date, str], dict] = {}
    rows = ServiceUserDay.objects.filter(
        workspace=workspace, service_id__in=mapped, day__gte=lo, day__lt=hi).values_list(
        "service_id", "source", "user", "day", "requests", "bytes", "first_seen", "last_seen")
    for sid, source, user, day, requests, nbytes, first, last_seen in rows.iterator(chunk_size=5000):
        month = day.replace(day=1)
        if month not in months:
            continue
        key = (apps[sid].id, month, source)
        _add_use(cells, key, user, requests, nbytes, first, last_seen)
    observations = [
        UsageObservation(workspace=workspace, application_id=app_id, month=month, source=source,
                         active_users=len(c["users"]), requests=c["requests"], bytes=c["bytes"],
                         first_seen=c["first"], last_seen=c["last"])
        for (app_id, month, source), c in cells.items()
    ]
    UsageObservation.objects.bulk_create(
        observations, update_conflicts=True, unique_fields=["application", "month", "source"],
        update_fields=["active_users", "requests", "bytes", "first_seen", "last_seen"], batch_size=500)
    return len(observations)
