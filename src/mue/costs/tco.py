"""Total cost of ownership: what each service, application, unit and vendor costs, per year.

Everything is computed in one pass over the workspace's cost lines, read with a fixed number of
queries whatever their number (nine: lines, shares, services, the services' units and applications,
units, applications, vendors, observed users), then allocated in Python:

- **to services**: a line with a sharing key is split between the services of its cost shares, by
  their users (equally when none has a user count), equally, or by the percentages given; else it goes
  to its service; else to the services its application supports (split by their users, as above);
  else it is "not attributed to a service";
- **to applications**: its application (shared lines too: the split is between services);
- **to vendors**: the vendor of its contract, else of its application;
- **to units**: what a unit *pays* (the line's paying unit) and what the services it *uses* cost it
  (each service's cost split equally between the units it serves);
- **per inhabitant**: the year's total over the workspace's population;
- **duplicated tools**: categories with two applications in use or more, with their combined cost;
- **licence waste**: seats paid beyond the peak of active users observed in the year (discovery),
  at the unit price of the application's licence and subscription lines.

Amounts of one currency only are added up (the workspace's most used one); lines in another are
counted apart, never converted.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max

from mue.core.models import Workspace

ZERO = Decimal(0)
CENT = Decimal("0.01")
IN_USE_STATUSES = ("approved", "tolerated", "shadow")
LICENCE_KINDS = ("licence", "subscription")
DIMENSIONS = ("service", "application", "unit", "vendor")


def money(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT)


@dataclass
class Row:
    """One service, application, unit or vendor and what it cost in the year."""

    slug: str | None  # None: the "not attributed" row
    name: str
    amount: Decimal = ZERO
    users: int | None = None
    paid: Decimal | None = None  # units: what the unit paid itself (its cost lines)
    previous: Decimal | None = None  # the year before, for the trend

    @property
    def per_user(self) -> Decimal | None:
        return money(self.amount / self.users) if self.users else None

    @property
    def change(self) -> Decimal | None:
        """Change from the year before, in percent (None when there was nothing then)."""
        if not self.previous:
            return None
        return ((self.amount - self.previous) * 100 / self.previous).quantize(Decimal("0.1"))

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"slug": self.slug, "name": self.name, "amount": float(money(self.amount))}
        if self.users is not None:
            out["users"] = self.users
            out["per_user"] = float(self.per_user) if self.per_user is not None else None
        if self.paid is not None:
            out["paid"] = float(money(self.paid))
        if self.previous is not None:
            out["previous_year"] = float(money(self.previous))
        return out


@dataclass
class Duplicate:
    category: str
    label: str
    tools: list[dict[str, Any]]  # slug, name, status, amount
    total: Decimal


@dataclass
class Waste:
    slug: str
    name: str
    seats: int
    active: int
    unit_price: Decimal
    amount: Decimal

    @property
    def unused(self) -> int:
        return self.seats - self.active


@dataclass
class CostReport:
    year: int | None
    years: list[int]
    currency: str
    population: int | None
    totals: dict[int, Decimal]
    rows: dict[str, list[Row]]  # dimension -> rows of the year, most expensive first
    duplicates: list[Duplicate] = field(default_factory=list)
    waste: list[Waste] = field(default_factory=list)
    service_years: dict[str, dict[int, Decimal]] = field(default_factory=dict)  # service name -> year -> amount
    other_currencies: int = 0

    @property
    def total(self) -> Decimal:
        return self.totals.get(self.year, ZERO) if self.year is not None else ZERO

    @property
    def previous_total(self) -> Decimal | None:
        return self.totals.get(self.year - 1) if self.year is not None else None

    @property
    def change(self) -> Decimal | None:
        previous = self.previous_total
        if not previous:
            return None
        return ((self.total - previous) * 100 / previous).quantize(Decimal("0.1"))

    @property
    def per_inhabitant(self) -> Decimal | None:
        return money(self.total / self.population) if self.population else None

    @property
    def waste_total(self) -> Decimal:
        return sum((w.amount for w in self.waste), ZERO)

    def as_dict(self) -> dict[str, Any]:
        def num(value: Decimal | None) -> float | None:
            return None if value is None else float(money(value))

        return {
            "year": self.year, "currency": self.currency, "total": num(self.total),
            "previous_year_total": num(self.previous_total),
            "change_percent": float(self.change) if self.change is not None else None,
            "population": self.population, "per_inhabitant": num(self.per_inhabitant),
            "trend": [{"year": y, "total": num(self.totals[y])} for y in self.years],
            **{f"by_{d}": [r.as_dict() for r in self.rows[d]] for d in DIMENSIONS},
            "duplicates": [{"category": d.category, "label": d.label, "total": num(d.total),
                            "tools": [{**t, "amount": num(t["amount"])} for t in d.tools]} for d in self.duplicates],
            "licence_waste": [{"application": w.slug, "name": w.name, "seats": w.seats, "active_users": w.active,
                               "unit_price": num(w.unit_price), "amount": num(w.amount)} for w in self.waste],
            "licence_waste_total": num(self.waste_total),
            "lines_in_other_currencies": self.other_currencies,
        }


def _split(weights: dict[int, Decimal]) -> dict[int, Decimal]:
    """Fractions summing to 1 from weights; equal parts when every weight is zero."""
    total = sum(weights.values(), ZERO)
    if total <= 0:
        return {k: Decimal(1) / len(weights) for k in weights} if weights else {}
    return {k: w / total for k, w in weights.items()}


def _by_users(service_ids: list[int], users: dict[int, int | None]) -> dict[int, Decimal]:
    return _split({s: Decimal(users.get(s) or 0) for s in service_ids})


def service_fractions(sharing: str, shares: list[tuple[int, Decimal | None]], users: dict[int, int | None]
                      ) -> dict[int, Decimal]:
    """How a shared line is split between its shares' services (fractions summing to 1)."""
    if sharing == "percentages":
        return {s: (p or ZERO) / 100 for s, p in shares}
    if sharing == "equal":
        return _split({s: Decimal(1) for s, _p in shares})
    return _by_users([s for s, _p in shares], users)


def default_year(years: list[int], today: dt.date | None = None) -> int | None:
    """This year when it has costs, else the latest year before it that has, else the earliest."""
    this = (today or dt.date.today()).year
    past = [y for y in years if y <= this]
    return max(past) if past else (min(years) if years else None)


def compute(workspace: Workspace, year: int | None = None, today: dt.date | None = None) -> CostReport:
    from mue.applications.models import Application
    from mue.applications.taxonomy import category_label
    from mue.costs.models import CostShare
    from mue.organization.models import Unit
    from mue.services.models import Service
    from mue.usage.models import UsageObservation
    from mue.vendors.models import CostLine, ExternalParty

    ws = workspace
    lines = list(CostLine.objects.filter(workspace=ws).order_by().values_list(
        "id", "amount", "currency", "year", "kind", "service_id", "application_id", "unit_id", "sharing",
        "contract__vendor_id", "application__vendor_id"))
    currencies = Counter(line[2] for line in lines)
    currency = currencies.most_common(1)[0][0] if currencies else "EUR"
    other = sum(n for c, n in currencies.items() if c != currency)
    lines = [line for line in lines if line[2] == currency]
    years = sorted({line[3] for line in lines})
    if year is None:
        year = default_year(years, today)

    shares: dict[int, list[tuple[int, Decimal | None]]] = defaultdict(list)
    for cost_id, service_id, percent in CostShare.objects.filter(workspace=ws).order_by().values_list(
            "cost_id", "service_id", "percent"):
        shares[cost_id].append((service_id, percent))
    services = {sid: (slug, name, users) for sid, slug, name, users in
                Service.objects.filter(workspace=ws).order_by().values_list("id", "slug", "name", "users_count")}
    users = {sid: s[2] for sid, s in services.items()}
    units_of: dict[int, list[int]] = defaultdict(list)
    for sid, uid in Service.units.through.objects.filter(service__workspace=ws).values_list("service_id", "unit_id"):
        units_of[sid].append(uid)
    services_of_app: dict[int, list[int]] = defaultdict(list)
    for sid, aid in Service.applications.through.objects.filter(service__workspace=ws).values_list(
            "service_id", "application_id"):
        services_of_app[aid].append(sid)
    units = {uid: (slug, name) for uid, slug, name in
             Unit.objects.filter(workspace=ws).order_by().values_list("id", "slug", "name")}
    apps = {aid: rest for aid, *rest in Application.objects.filter(workspace=ws).order_by().values_list(
        "id", "slug", "name", "category", "status", "seats")}
    vendors = {vid: (slug, name) for vid, slug, name in
               ExternalParty.objects.filter(workspace=ws).order_by().values_list("id", "slug", "name")}
    # Peak monthly active users of each application in the year (a range on the month, not __year: the
    # range uses the column's index on both databases).
    active = dict(UsageObservation.objects.filter(workspace=ws, month__gte=dt.date(year, 1, 1),
                                                  month__lt=dt.date(year + 1, 1, 1)).order_by()
                  .values("application_id").annotate(peak=Max("active_users"))
                  .values_list("application_id", "peak")) if year is not None else {}

    # (dimension, id or None, year) -> amount
    sums: dict[tuple[str, int | None, int], Decimal] = defaultdict(lambda: ZERO)
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    licences: dict[int, Decimal] = defaultdict(lambda: ZERO)  # application -> licence lines of the year
    for (line_id, amount, _cur, y, kind, service_id, app_id, unit_id, sharing, contract_vendor,
         app_vendor) in lines:
        totals[y] += amount
        if sharing and shares.get(line_id):
            parts = service_fractions(sharing, shares[line_id], users)
        elif service_id:
            parts = {service_id: Decimal(1)}
        elif app_id and services_of_app.get(app_id):
            parts = _by_users(services_of_app[app_id], users)
        else:
            parts = {}
        for sid, fraction in parts.items():
            sums["service", sid, y] += amount * fraction
            served = units_of.get(sid) or [None]
            for uid in served:
                sums["unit", uid, y] += amount * fraction / len(served)
        if not parts:
            sums["service", None, y] += amount
            sums["unit", None, y] += amount
        sums["application", app_id, y] += amount
        sums["vendor", contract_vendor or app_vendor, y] += amount
        sums["paid", unit_id, y] += amount
        if app_id and kind in LICENCE_KINDS and y == year:
            licences[app_id] += amount

    names = {"service": {k: v[:2] for k, v in services.items()}, "unit": units,
             "application": {k: v[:2] for k, v in apps.items()}, "vendor": vendors}
    rows: dict[str, list[Row]] = {}
    for dimension in DIMENSIONS:
        found = {key for (d, key, y) in sums if d == dimension and y == year}
        if dimension == "unit":
            found |= {key for (d, key, y) in sums if d == "paid" and y == year}
        out = []
        for key in found:
            slug, name = names[dimension][key] if key is not None else (None, "")
            row = Row(slug, name, sums.get((dimension, key, year), ZERO),
                      previous=sums.get((dimension, key, year - 1)) if year else None)
            if dimension == "service" and key is not None:
                row.users = users.get(key)
            elif dimension == "application" and key is not None:
                row.users = active.get(key) or apps[key][4] or None
            elif dimension == "unit":
                row.paid = sums.get(("paid", key, year), ZERO)
            out.append(row)
        # Most expensive first; the "not attributed" row last.
        out.sort(key=lambda r: (r.slug is None, -r.amount, r.name))
        rows[dimension] = out

    service_years: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for (d, key, y), amount in sums.items():
        if d == "service" and key is not None:
            service_years[services[key][1]][y] = amount

    by_category: dict[str, list[int]] = defaultdict(list)
    for aid, (_slug, _name, category, status, _seats) in apps.items():
        if category and status in IN_USE_STATUSES:
            by_category[category].append(aid)
    duplicates = []
    for category, ids in by_category.items():
        if len(ids) < 2:
            continue
        tools = sorted(({"slug": apps[a][0], "name": apps[a][1], "status": apps[a][3],
                         "amount": sums.get(("application", a, year), ZERO)} for a in ids),
                       key=lambda t: (-t["amount"], t["name"]))
        duplicates.append(Duplicate(category, category_label(category), tools, sum((t["amount"] for t in tools), ZERO)))
    duplicates.sort(key=lambda d: (-d.total, d.label))

    waste = []
    for aid, paid in licences.items():
        seats = apps[aid][4]
        if not seats or aid not in active or active[aid] >= seats or paid <= 0:
            continue
        unit_price = paid / seats
        waste.append(Waste(apps[aid][0], apps[aid][1], seats, active[aid], money(unit_price),
                           money(unit_price * (seats - active[aid]))))
    waste.sort(key=lambda w: (-w.amount, w.name))

    return CostReport(year=year, years=years, currency=currency, population=ws.population, totals=dict(totals),
                      rows=rows, duplicates=duplicates, waste=waste, service_years=dict(service_years),
                      other_currencies=other)
