"""Declared interests of the advisor and requests for information sent to vendors.

An interest is declared per advisor and per vendor; a report lists every declaration in force at
its audit date (or says that none is declared) and marks each finding, action and annex row that
names the vendor or one of its applications or contracts (:class:`InterestIndex`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from mue.core.models import Workspace
from mue.reports.models import InformationRequest, Interest, RequestRecipient


def in_force(workspace: Workspace, on: dt.date) -> list[Interest]:
    """The declarations of the workspace in force on ``on`` (with their vendor)."""
    return list(Interest.objects.filter(workspace=workspace)
                .filter(Q(start__isnull=True) | Q(start__lte=on), Q(end__isnull=True) | Q(end__gte=on))
                .select_related("party").order_by("advisor", "party__name", "id"))


def describe(interest: Interest) -> str:
    """« Commission, 8 % » / « Reseller, 1 200 EUR » / « Former employer »."""
    parts = [str(interest.get_nature_display())]
    if interest.percentage is not None:
        parts.append(f"{number_format(interest.percentage.normalize())} %")
    if interest.amount is not None:
        parts.append(f"{number_format(interest.amount, decimal_pos=2, force_grouping=True)} EUR")
    return ", ".join(parts)


def period(interest: Interest) -> str:
    if interest.start and interest.end:
        return _("%(start)s to %(end)s") % {"start": interest.start.isoformat(), "end": interest.end.isoformat()}
    if interest.start:
        return _("since %(start)s") % {"start": interest.start.isoformat()}
    if interest.end:
        return _("until %(end)s") % {"end": interest.end.isoformat()}
    return ""


@dataclass
class InterestIndex:
    """Which objects name a vendor with a declared interest: the vendor itself, its applications, its contracts."""

    by_party: dict[int, list[Interest]] = field(default_factory=dict)
    targets: dict[str, int] = field(default_factory=dict)  # "type:slug" -> party id

    def notes(self, key: str) -> list[str]:
        """« Declared interest: <advisor> — <vendor>: commission, 8 % » for the object ``type:slug``."""
        party = self.targets.get(key)
        if party is None:
            return []
        return [_("Declared interest: %(advisor)s in %(vendor)s (%(what)s)")
                % {"advisor": i.advisor, "vendor": i.party.name, "what": describe(i)} for i in self.by_party[party]]

    def notes_for(self, keys: list[str]) -> list[str]:
        seen: list[str] = []
        for key in keys:
            for note in self.notes(key):
                if note not in seen:
                    seen.append(note)
        return seen


def interest_index(workspace: Workspace, interests: list[Interest]) -> InterestIndex:
    """The index of the objects naming the vendors of ``interests`` (three queries at most)."""
    from mue.applications.models import Application
    from mue.vendors.models import Contract

    index = InterestIndex()
    for interest in interests:
        index.by_party.setdefault(interest.party_id, []).append(interest)
        index.targets[f"party:{interest.party.slug}"] = interest.party_id
    if not index.by_party:
        return index
    parties = list(index.by_party)
    for slug, party in Application.objects.filter(workspace=workspace, vendor_id__in=parties).values_list(
            "slug", "vendor_id"):
        index.targets[f"application:{slug}"] = party
    for slug, party in Contract.objects.filter(workspace=workspace, vendor_id__in=parties).values_list(
            "slug", "vendor_id"):
        index.targets[f"contract:{slug}"] = party
    return index


@dataclass
class RequestLine:
    subject: str
    question: str
    sent_on: dt.date
    answers: list[tuple[str, str, str]]  # (vendor, answered on or "", answer or "no answer")
    number: int = 0  # the request's id, by which an answer is recorded


def requests_of(workspace: Workspace) -> list[RequestLine]:
    """The workspace's requests for information with their recipients and answers (two queries)."""
    requests = list(InformationRequest.objects.filter(workspace=workspace).order_by("sent_on", "id"))
    answers: dict[int, list[tuple[str, str, str]]] = {r.pk: [] for r in requests}
    for rec in RequestRecipient.objects.filter(request__workspace=workspace).select_related("party").order_by(
            "request_id", "party__name"):
        answers[rec.request_id].append((rec.party.name, rec.answered_on.isoformat() if rec.answered_on else "",
                                        rec.answer or _("no answer yet")))
    return [RequestLine(r.subject, r.question, r.sent_on, answers[r.pk], r.pk) for r in requests]
