"""The renewal calendar: when each contract ends and the last day to give notice of it.

The one computation of contract deadlines: the renewals page, its iCalendar feed and ``mue renewals``
read :func:`renewals`; the dashboard's 30/60/90-day panel and the advisor's cockpit read
:func:`upcoming`, across workspaces. The notice deadline is the end date minus the notice period
(the end date itself without one), as rule CTR-001 computes it. A tacitly renewed contract whose end
has passed has renewed itself: its next end is found by adding its term (from start to end, in whole
months when both fall on the same day of the month; one year when the start is not known) until it is
today or later, and is marked as computed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from typing import Any

from django.db.models import Max, Q

from mue.core.models import Workspace

#: The dashboard's windows, in days ahead: deadlines within 30, 60 or 90 days.
WINDOWS: tuple[int, ...] = (30, 60, 90)
_COLUMNS = ("workspace_id", "slug", "name", "vendor__name", "start", "end", "notice_days", "tacit_renewal",
            "annual_amount", "currency")


@dataclass
class Renewal:
    """One contract's coming end, as of a day."""

    workspace_id: int
    slug: str
    name: str
    vendor: str | None
    end: dt.date
    notice_days: int | None
    tacit_renewal: bool
    annual_amount: Decimal | None
    currency: str
    rolled: bool  # the end was moved forward by tacit renewal (computed, not stated)
    today: dt.date  # the day it is computed for

    @property
    def deadline(self) -> dt.date:
        return self.end - dt.timedelta(days=self.notice_days or 0)

    @property
    def days_left(self) -> int:
        return (self.deadline - self.today).days

    @property
    def window(self) -> int | None:
        """The smallest of :data:`WINDOWS` the deadline falls in (None: passed, or beyond them)."""
        return next((w for w in WINDOWS if 0 <= self.days_left <= w), None)

    def as_dict(self) -> dict[str, Any]:
        return {"contract": self.slug, "name": self.name, "vendor": self.vendor, "end": self.end.isoformat(),
                "notice_deadline": self.deadline.isoformat(), "notice_days": self.notice_days,
                "days_left": self.days_left, "tacit_renewal": self.tacit_renewal,
                "end_computed_from_tacit_renewal": self.rolled,
                "annual_amount": float(self.annual_amount) if self.annual_amount is not None else None,
                "currency": self.currency}


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _next_end(start: dt.date | None, end: dt.date, today: dt.date) -> dt.date:
    """The first end at or after ``today`` of a contract renewing itself by its term: whole months when
    start and end fall on the same day of the month (a yearly contract renews on its anniversary, leap
    years or not), else its length in days; a year when the start is not known."""
    months = 0
    if start and end > start and start.day == end.day:
        months = (end.year - start.year) * 12 + end.month - start.month
    term = (end - start) if start and end > start else None
    n = 0
    nxt = end
    while nxt < today and n < 1000:
        n += 1
        if months:
            nxt = _add_months(end, months * n)
        elif term:
            nxt = end + term * n
        else:
            nxt = _add_years(end, n)
    return nxt


def _renewal(row: tuple, today: dt.date) -> Renewal:
    workspace_id, slug, name, vendor, start, end, notice, tacit, amount, currency = row
    rolled = False
    if tacit and end < today:
        end, rolled = _next_end(start, end, today), True
    return Renewal(workspace_id, slug, name, vendor, end, notice, tacit, amount, currency, rolled, today)


def _order(items: list[Renewal]) -> list[Renewal]:
    return sorted(items, key=lambda r: (r.deadline, r.end, r.name, r.slug))


def renewals(workspace: Workspace, today: dt.date | None = None, months: int | None = None,
             since: dt.date | None = None) -> list[Renewal]:
    """The contracts of a workspace with an end date, by notice deadline (one query).

    Contracts that ended before ``since`` (today by default) are left out; ``months`` keeps those
    whose deadline or end falls within that many months from today.
    """
    from mue.vendors.models import Contract

    today = today or dt.date.today()
    since = since or today
    rows = Contract.objects.filter(workspace=workspace, end__isnull=False).order_by().values_list(*_COLUMNS)
    horizon = _add_months(today, months) if months else None
    out = []
    for row in rows:
        item = _renewal(row, today)
        if item.end < since:
            continue
        if horizon and item.deadline > horizon and item.end > horizon:
            continue
        out.append(item)
    return _order(out)


def upcoming(workspace_ids: Iterable[int], today: dt.date, horizon: int = WINDOWS[-1]) -> list[Renewal]:
    """The contracts of these workspaces whose notice deadline falls between today and ``horizon`` days
    ahead, tacit renewals rolled forward as on the renewals page; soonest first. Two queries, whatever
    the number of workspaces and contracts: the longest notice period, then the contracts that can
    qualify (running ones ending within the horizon plus that period, and tacit ones already past
    their stated end, which only their rolled end tells)."""
    from mue.vendors.models import Contract

    contracts = Contract.objects.filter(workspace_id__in=list(workspace_ids), end__isnull=False).order_by()
    longest = contracts.filter(end__gte=today).aggregate(n=Max("notice_days"))["n"] or 0
    reach = today + dt.timedelta(days=horizon + longest)
    rows = contracts.filter(Q(end__gte=today, end__lte=reach) | Q(tacit_renewal=True, end__lt=today))
    found = (_renewal(row, today) for row in rows.values_list(*_COLUMNS))
    return _order([r for r in found if 0 <= r.days_left <= horizon])


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def by_month(items: list[Renewal]) -> list[tuple[dt.date, list[Renewal]]]:
    """Renewals grouped by the month of their notice deadline (first day of the month, in order)."""
    return [(month, list(group)) for month, group in
            groupby(items, key=lambda r: r.deadline.replace(day=1))]
