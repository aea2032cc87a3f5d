"""The record of processing activities as read for printing and exports (a constant number of queries)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from mue.core.models import Workspace
from mue.gdpr.choices import SECURITY_MEASURES, ActivityStatus
from mue.gdpr.dpia import Screening, screen
from mue.gdpr.models import ProcessingActivity, RetentionRule, Transfer
from mue.organization.models import Person


def activities(workspace: Workspace, statuses: tuple[str, ...] = (ActivityStatus.ACTIVE,)) -> QuerySet:
    """The activities of the record with everything an export shows, prefetched."""
    return (ProcessingActivity.objects.filter(workspace=workspace, status__in=statuses)
            .select_related("unit", "responsible", "dpo")
            .prefetch_related("controllers", "data", "internal_recipients", "recipients", "processes", "services",
                              "applications__vendor", "flows",
                              Prefetch("transfers", Transfer.objects.select_related("recipient", "application")),
                              Prefetch("retention_rules", RetentionRule.objects.select_related("data",
                                                                                               "purge_document")))
            .order_by("name", "id"))


@dataclass
class ActivityView:
    """One activity with what the exports compute from it."""

    activity: ProcessingActivity
    number: int
    screening: Screening
    measures: list = field(default_factory=list)  # lazy labels: rendered in the export's language

    @property
    def processors(self) -> list:
        """The vendors of its applications: processors acting on the organization's behalf."""
        seen: dict[int, object] = {}
        for app in self.activity.applications.all():
            if app.vendor is not None and app.vendor.kind == "vendor":
                seen.setdefault(app.vendor.pk, app.vendor)
        return list(seen.values())

    def retention_of(self, category) -> str:
        """The retention of a data category in this activity: its own rule, else the category's."""
        for rule in self.activity.retention_rules.all():
            if rule.data_id == category.pk:
                return _retention_text(rule.retention_months, rule.retention_note)
        return _retention_text(category.retention_months, category.retention_note)


def _retention_text(months: int | None, note: str) -> str:
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    parts = []
    if months is not None:
        parts.append(ngettext("%(n)d month", "%(n)d months", months) % {"n": months})
    if note:
        parts.append(note)
    return " — ".join(parts) or _("not stated")


@dataclass
class Record:
    workspace: Workspace
    dpo: Person | None
    date: dt.date
    items: list[ActivityView]


def _main_dpo(items: list[ProcessingActivity]) -> Person | None:
    """The DPO named by most activities (a commune has one, often shared with a centre de gestion)."""
    counts = Counter(a.dpo for a in items if a.dpo is not None)
    return counts.most_common(1)[0][0] if counts else None


def build_record(workspace: Workspace, statuses: tuple[str, ...] = (ActivityStatus.ACTIVE,)) -> Record:
    from mue.gdpr.models import _SECURITY_LABELS

    items = list(activities(workspace, statuses))
    views = []
    for number, activity in enumerate(items, start=1):
        measures = [_SECURITY_LABELS[key] for key, attr in SECURITY_MEASURES.items() if getattr(activity, attr)]
        views.append(ActivityView(activity=activity, number=number, screening=screen(activity), measures=measures))
    return Record(workspace=workspace, dpo=_main_dpo(items), date=timezone.localdate(), items=views)
