"""The inventory annexes of a report: tables of the register, a constant number of queries each.

Services with their criticality, applications, the data flows carrying personal data, and the
contracts with their deadlines (the last day to give notice before a tacit renewal).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from mue.core.models import Workspace
from mue.reports.interests import InterestIndex


@dataclass
class Table:
    """A titled table: header, rows of text, and per row the notes of declared interests."""

    key: str
    title: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[list[str]] = field(default_factory=list)
    empty: str = ""

    @property
    def pairs(self) -> list[tuple[list[str], list[str]]]:
        return list(zip(self.rows, self.notes, strict=True))


def services_table(ws: Workspace) -> Table:
    from mue.services.models import Service

    table = Table("services", _("Digital services"), [_("Service"), _("Criticality"), _("Lifecycle"),
                                                      _("Business owner"), _("RTO (hours)")],
                  empty=_("No service is recorded."))
    for s in Service.objects.filter(workspace=ws).select_related("business_owner").order_by(
            "-criticality", "name").only("name", "criticality", "lifecycle", "rto_hours", "business_owner__name"):
        table.rows.append([s.name, s.get_criticality_display() if s.criticality else "—", s.get_lifecycle_display(),
                           s.business_owner.name if s.business_owner else "—",
                           "" if s.rto_hours is None else str(s.rto_hours)])
        table.notes.append([])
    return table


def applications_table(ws: Workspace, interests: InterestIndex) -> Table:
    from mue.applications.models import Application

    table = Table("applications", _("Applications"), [_("Application"), _("Kind"), _("Vendor"), _("Status"),
                                                      _("Hosting")], empty=_("No application is recorded."))
    for a in Application.objects.filter(workspace=ws).select_related("vendor").order_by("name").only(
            "slug", "name", "kind", "status", "hosting_country", "vendor__name"):
        table.rows.append([a.name, a.get_kind_display(), a.vendor.name if a.vendor else "—", a.get_status_display(),
                           a.hosting_country or "—"])
        table.notes.append(interests.notes(f"application:{a.slug}"))
    return table


ENDPOINTS = ("application", "unit", "party", "asset")


def personal_flows_table(ws: Workspace) -> Table:
    """Flows carrying at least one personal data category: three plain queries (no model instances,
    which cost seconds for the tens of thousands of flows of a large workspace)."""
    from mue.dataflows.models import DataCategory, DataFlow

    table = Table("flows", _("Data flows carrying personal data"), [_("Flow"), _("From"), _("To"), _("Data"),
                                                                    _("Encrypted")],
                  empty=_("No data flow carrying personal data is recorded."))
    personal = dict(DataCategory.objects.filter(workspace=ws).exclude(personal_data="none")
                    .values_list("id", "name"))
    if not personal:
        return table
    carried: dict[int, list[str]] = {}
    through = DataFlow.data.through
    for flow_id, category_id in through.objects.filter(dataflow__workspace=ws,
                                                       datacategory_id__in=list(personal)).values_list(
            "dataflow_id", "datacategory_id"):
        carried.setdefault(flow_id, []).append(personal[category_id])
    ends = [f"{side}_{name}__name" for side in ("source", "target") for name in ENDPOINTS]
    yes, no = _("yes"), _("no")
    for pk, name, encrypted, *names in (DataFlow.objects.filter(workspace=ws)
                                        .filter(Exists(through.objects.filter(
                                            dataflow_id=OuterRef("pk"),
                                            datacategory_id__in=list(personal))))
                                        .order_by("name").values_list("pk", "name", "encrypted", *ends)):
        source = next((n for n in names[:4] if n), "—")
        target = next((n for n in names[4:] if n), "—")
        table.rows.append([name, source, target, ", ".join(sorted(carried.get(pk, []))),
                           "—" if encrypted is None else (yes if encrypted else no)])
        table.notes.append([])
    return table


def notice_deadline(end: dt.date | None, notice_days: int | None) -> dt.date | None:
    """The last day to give notice before the contract renews (its end when no notice is stated)."""
    if end is None:
        return None
    return end - dt.timedelta(days=notice_days or 0)


def contracts_table(ws: Workspace, interests: InterestIndex) -> Table:
    from mue.vendors.models import Contract

    table = Table("contracts", _("Contracts and their deadlines"),
                  [_("Contract"), _("Vendor"), _("End"), _("Notice deadline"), _("Tacit renewal"),
                   _("Annual amount")], empty=_("No contract is recorded."))
    yes, no = _("yes"), _("no")
    for c in Contract.objects.filter(workspace=ws).select_related("vendor").order_by("end", "name"):
        deadline = notice_deadline(c.end, c.notice_days)
        amount = "" if c.annual_amount is None else \
            f"{number_format(c.annual_amount, decimal_pos=0, force_grouping=True)} {c.currency}"
        table.rows.append([c.name, c.vendor.name if c.vendor else "—", c.end.isoformat() if c.end else "—",
                           deadline.isoformat() if deadline else "—", yes if c.tacit_renewal else no, amount])
        table.notes.append(interests.notes(f"contract:{c.slug}"))
    return table


def annexes(ws: Workspace, interests: InterestIndex) -> list[Table]:
    return [services_table(ws), applications_table(ws, interests), personal_flows_table(ws),
            contracts_table(ws, interests)]
