"""The renewal calendar: when each contract ends and the last day to give notice of it.

The notice deadline is the end date minus the notice period (the end date itself without one), as
the dashboard's deadlines and rule CTR-001 compute it. A tacitly renewed contract whose end has
passed has renewed itself: its next end is found by adding its term (end minus start, one year when
the start is not known) until it is today or later, and is marked as computed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from typing import Any

from mue.core.models import Workspace


@dataclass
class Renewal:
    slug: str
    name: str
    vendor: str | None
    end: dt.date
    notice_days: int | None
    tacit_renewal: bool
    annual_amount: Decimal | None
    currency: str
    rolled: bool  # the end was moved forward by tacit renewal (computed, not stated)

    @property
    def deadline(self) -> dt.date:
        return self.end - dt.timedelta(days=self.notice_days or 0)

    def days_left(self, today: dt.date) -> int:
        return (self.deadline - today).days

    def as_dict(self, today: dt.date) -> dict[str, Any]:
        return {"contract": self.slug, "name": self.name, "vendor": self.vendor, "end": self.end.isoformat(),
                "notice_deadline": self.deadline.isoformat(), "notice_days": self.notice_days,
                "days_left": self.days_left(today), "tacit_renewal": self.tacit_renewal,
                "end_computed_from_tacit_renewal": self.rolled,
                "annual_amount": float(self.annual_amount) if self.annual_amount is not None else None,
                "currency": self.currency}


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _next_end(start: dt.date | None, end: dt.date, today: dt.date) -> dt.date:
    term = (end - start) if start and end > start else None
    n = 0
    nxt = end
    while nxt < today and n < 1000:
        n += 1
        nxt = end + term * n if term else _add_years(end, n)
    return nxt


def renewals(workspace: Workspace, today: dt.date | None = None, months: int | None = None,
             since: dt.date | None = None) -> list[Renewal]:
    """The contracts with an end date, by notice deadline (one query).

    Contracts that ended before ``since`` (today by default) are left out; ``months`` keeps those
    whose deadline or end falls within that many months from today.
    """
    from mue.vendors.models import Contract

    today = today or dt.date.today()
    since = since or today
    rows = (Contract.objects.filter(workspace=workspace, end__isnull=False).order_by()
            .values_list("slug", "name", "vendor__name", "start", "end", "notice_days", "tacit_renewal",
                         "annual_amount", "currency"))
    horizon = _add_months(today, months) if months else None
    out = []
    for slug, name, vendor, start, end, notice, tacit, amount, currency in rows:
        rolled = False
        if tacit and end < today:
            end, rolled = _next_end(start, end, today), True
        item = Renewal(slug, name, vendor, end, notice, tacit, amount, currency, rolled)
        if end < since:
            continue
        if horizon and item.deadline > horizon and item.end > horizon:
            continue
        out.append(item)
    out.sort(key=lambda r: (r.deadline, r.end, r.name, r.slug))
    return out


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
