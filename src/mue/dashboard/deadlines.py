"""Contract notice deadlines: the day by which notice must be given, and the windows of the dashboard.

The deadline of a contract is its end date minus its notice period (the end date itself without
one), as rule CTR-001 computes it. The dashboard and the cockpit read, in SQL, the running contracts
whose deadline falls in the next 90 days, and bucket them by 30, 60 or 90 days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from mue.core.registry import registry

WINDOWS: tuple[int, ...] = (30, 60, 90)


@dataclass
class Renewal:
    workspace_id: int
    slug: str
    name: str
    vendor: str | None
    end: dt.date
    notice_days: int | None
    tacit_renewal: bool
    annual_amount: Decimal | None
    currency: str
    deadline: dt.date
    days_left: int

    @property
    def window(self) -> int:
        """The smallest window (30, 60, 90) the deadline falls in."""
        return next(w for w in WINDOWS if self.days_left <= w)


def upcoming(workspace_ids: Iterable[int], today: dt.date, horizon: int = WINDOWS[-1]) -> list[Renewal]:
    """Contracts of these workspaces whose notice deadline falls between today and ``horizon`` days
    ahead, soonest first (two queries, whatever the number of workspaces and contracts)."""
    Contract = registry.by_singular("contract").model
    running = Contract.objects.filter(workspace_id__in=list(workspace_ids), end__gte=today).order_by()
    # deadline = end - notice. Date-minus-integer arithmetic differs between SQLite and PostgreSQL,
    # so the window is spelled per distinct notice period (a handful of values), as rule CTR-001
    # does: today <= end - n <= today + horizon  <=>  end in [today + n, today + horizon + n].
    periods = set(running.values_list("notice_days", flat=True).distinct())
    if not periods:
        return []
    window = Q()
    for n in periods:
        days = dt.timedelta(days=n or 0)
        same = Q(notice_days__isnull=True) if n is None else Q(notice_days=n)
        window |= same & Q(end__gte=today + days, end__lte=today + dt.timedelta(days=horizon) + days)
    rows = running.filter(window).values_list("workspace_id", "slug", "name", "vendor__name", "end", "notice_days",
                                              "tacit_renewal", "annual_amount", "currency")
    out = []
    for ws, slug, name, vendor, end, notice, tacit, amount, currency in rows:
        deadline = end - dt.timedelta(days=notice or 0)
        days_left = (deadline - today).days
        if 0 <= days_left <= horizon:
            out.append(Renewal(ws, slug, name, vendor, end, notice, tacit, amount, currency, deadline, days_left))
    out.sort(key=lambda r: (r.deadline, r.name, r.slug))
    return out
