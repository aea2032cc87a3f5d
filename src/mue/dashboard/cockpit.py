"""The advisor's cockpit: every workspace a user belongs to, on one line each, in a constant number
of queries whatever the number of workspaces and their size.

Per workspace: the score of its last audit and its change since the one before (the last two runs,
picked by a window function), the open high and critical findings of the last run (one grouped
count over the last runs), the contract notice deadlines in the next 90 days (one query over every
workspace's running contracts) and the time of its last change (a correlated subquery reading the
change log's newest entry through its workspace index).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, OuterRef, Subquery, Window
from django.db.models.functions import RowNumber

from mue.audit.models import AuditRun, Finding
from mue.core.models import ChangeLogEntry, Membership
from mue.dashboard.deadlines import WINDOWS, upcoming


@dataclass
class Line:
    slug: str
    name: str
    kind: str
    role: str
    score: float | None = None
    change: float | None = None
    audited: dt.date | None = None
    high: int = 0
    critical: int = 0
    deadlines: int = 0
    next_deadline: dt.date | None = None
    last_activity: dt.datetime | None = None

    @property
    def serious(self) -> int:
        return self.high + self.critical


#: The sort keys of the cockpit's columns (a leading "-" sorts descending); empty values always last.
SORTS: dict[str, Any] = {
    "name": lambda line: line.name.lower(),
    "score": lambda line: line.score,
    "change": lambda line: line.change,
    "findings": lambda line: line.serious,
    "deadlines": lambda line: line.deadlines,
    "activity": lambda line: line.last_activity,
}


def lines(user, today: dt.date) -> list[Line]:
    """One line per workspace of ``user``, by name."""
    last_change = ChangeLogEntry.objects.filter(workspace=OuterRef("workspace_id")).order_by("-id").values("time")[:1]
    memberships = list(Membership.objects.filter(user=user).select_related("workspace")
                       .annotate(last_activity=Subquery(last_change)).order_by("workspace__name"))
    by_id = {m.workspace_id: Line(m.workspace.slug, m.workspace.name, m.workspace.get_kind_display(),
                                  m.get_role_display(), last_activity=m.last_activity) for m in memberships}
    if not by_id:
        return []
    runs = (AuditRun.objects.filter(workspace_id__in=list(by_id))
            .annotate(rank=Window(RowNumber(), partition_by=[F("workspace_id")],
                                  order_by=[F("started").desc(), F("id").desc()]))
            .filter(rank__lte=2).values_list("workspace_id", "id", "score", "as_of", "rank"))
    latest: dict[int, int] = {}
    previous: dict[int, float | None] = {}
    for ws, run_id, score, as_of, rank in runs:
        line = by_id[ws]
        if rank == 1:
            latest[run_id] = ws
            line.score, line.audited = score, as_of
        else:
            previous[ws] = score
    for ws, before in previous.items():
        line = by_id[ws]
        if line.score is not None and before is not None:
            line.change = round(line.score - before, 1)
    if latest:
        counts = (Finding.objects.filter(run_id__in=list(latest), status="open", severity__in=["high", "critical"])
                  .order_by().values("run_id", "severity").annotate(n=Count("id"))
                  .values_list("run_id", "severity", "n"))
        for run_id, severity, n in counts:
            setattr(by_id[latest[run_id]], severity, n)
    for renewal in upcoming(by_id, today, WINDOWS[-1]):
        line = by_id[renewal.workspace_id]
        line.deadlines += 1
        if line.next_deadline is None or renewal.deadline < line.next_deadline:
            line.next_deadline = renewal.deadline
    return list(by_id.values())


def sort_lines(found: list[Line], sort: str) -> tuple[list[Line], str, bool]:
    """``found`` sorted by a key of :data:`SORTS` (unknown keys sort by name); lines without a value last."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        key, descending = "name", False
    value = SORTS[key]
    present = [line for line in found if value(line) is not None]
    missing = [line for line in found if value(line) is None]
    present.sort(key=lambda line: (value(line), line.name.lower()), reverse=descending)
    return present + sorted(missing, key=lambda line: line.name.lower()), key, descending
