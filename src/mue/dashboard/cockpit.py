"""The advisor's cockpit: every workspace a user belongs to, on one line each, in a constant number
of queries whatever the number of workspaces and their size.

Per workspace: the score of its last audit and its change since the one before (the last two runs,
picked by a window function; the last one as kept current by the live findings, :mod:`mue.audit.live`,
so that a waiver or a fix shows at once), the open high and critical findings (from the counts
per severity and status the run keeps in its summary, as ``mue audit history`` shows them: reading
them costs nothing per finding, where counting the rows of 50 runs takes 0.1 s), the contract
notice deadlines in the next 90 days (one query over every workspace's running contracts) and the
time of its last change (a correlated subquery reading the change log's newest entry through its
workspace index).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, OuterRef, Subquery, Window
from django.db.models.functions import RowNumber

from mue.audit.live import live_states
from mue.audit.models import AuditRun
from mue.core.models import ChangeLogEntry, Membership
from mue.costs.renewals import WINDOWS, upcoming


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


def open_count(summary: dict | None, severity: str) -> int:
    """Open findings of one severity in a run's stored summary (:meth:`AuditResult.summary`)."""
    return int(((summary or {}).get("findings") or {}).get(severity, {}).get("open", 0))


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
            .filter(rank__lte=2).values_list("workspace_id", "score", "as_of", "started", "summary", "rank"))
    current = live_states(list(by_id))
    stored: dict[int, list[tuple]] = {}
    for ws, score, as_of, started, summary, rank in runs:
        stored.setdefault(ws, []).append((rank, score, as_of, started, summary))
    for ws, found in stored.items():
        found.sort()
        line, (_rank, score, as_of, started, summary) = by_id[ws], found[0]
        live = current.get(ws)
        if live is not None and live["started"] >= started:  # the last audit, kept current since
            score, summary = live["score"], live["summary"]
        line.score, line.audited = score, as_of
        line.high, line.critical = open_count(summary, "high"), open_count(summary, "critical")
        before = found[1][1] if len(found) > 1 else None
        if line.score is not None and before is not None:
            line.change = round(line.score - before, 1)
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
