"""Contract notice deadlines: the day by which notice must be given, and the windows of the dashboard.

The deadline of a contract is its end date minus its notice period (the end date itself without
one), as rule CTR-001 computes it. The dashboard and the cockpit read the contracts still running
(end date today or later) and bucket those whose deadline falls in the next 30, 60 or 90 days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

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
    ahead, soonest first (one query, whatever the number of workspaces)."""
    Contract = registry.by_singular("contract").model
    rows = (Contract.objects.filter(workspace_id__in=list(workspace_ids), end__gte=today).order_by()
            .values_list("workspace_id", "slug", "name", "vendor__name", "end", "notice_days", "tacit_renewal",
                         "annual_amount", "currency"))
    out = []
    for ws, slug, name, vendor, end, notice, tacit, amount, currency in rows:
        deadline = end - dt.timedelta(days=notice or 0)
        days_left = (deadline - today).days
        if 0 <= days_left <= horizon:
            out.append(Renewal(ws, slug, name, vendor, end, notice, tacit, amount, currency, deadline, days_left))
    out.sort(key=lambda r: (r.deadline, r.name, r.slug))
    return out
