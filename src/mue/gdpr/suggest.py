"""Processing activities proposed from the map: one per business process handling personal data.

A process names the services it uses; their applications hold data categories; flows carry them
to units and parties. Each process whose applications hold personal data gives a suggestion with
its purpose (the process), unit, person responsible, services, applications, personal data, data
subjects, the flows carrying those data from or to those applications and their recipients.

Nothing is written here: :func:`suggestions` only reads (a constant number of queries), and
:func:`record_drafts` writes the chosen suggestions as **draft** activities through the importer
(the one writing path, with its checks and change log) for a person to accept, edit or reject.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from mue.core.models import Workspace
from mue.dataflows.models import DataFlow
from mue.gdpr.choices import ActivityStatus
from mue.gdpr.models import ProcessingActivity
from mue.services.models import Process

PERSONAL = ("personal", "sensitive", "criminal")
SENSITIVE = ("sensitive", "criminal")
_NOT_IN_USE = ("retired", "banned")


@dataclass
class Suggestion:
    slug: str
    name: str
    process: Process
    existing: str | None  # slug of the activity of the record already covering the process
    services: list[str] = field(default_factory=list)
    applications: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    data_subjects: str = ""
    flows: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    internal_recipients: list[str] = field(default_factory=list)
    sensitive: bool = False

    def as_item(self, dpo: str | None = None) -> dict[str, Any]:
        """The map item of the draft activity (what ``record_drafts`` imports)."""
        item: dict[str, Any] = {
            "slug": self.slug, "name": self.name, "status": ActivityStatus.DRAFT,
            "purposes": self.process.description or self.process.name,
            "processes": [self.process.slug], "services": self.services, "applications": self.applications,
            "data": self.data, "data_subjects": self.data_subjects[:300], "flows": self.flows,
            "recipients": self.recipients, "internal_recipients": self.internal_recipients,
            "dpia_criteria": {"sensitive": self.sensitive},
        }
        if self.process.unit_id:
            item["unit"] = self.process.unit.slug
        if self.process.owner_id:
            item["responsible"] = self.process.owner.slug
        if dpo:
            item["dpo"] = dpo
        return item


def suggestions(workspace: Workspace) -> list[Suggestion]:
    processes = (Process.objects.filter(workspace=workspace).select_related("unit", "owner")
                 .prefetch_related("services__applications__data",
                                   Prefetch("processing_activities", ProcessingActivity.objects.only("slug")))
                 .order_by("name", "id"))
    flows = list(DataFlow.objects.filter(workspace=workspace, data__personal_data__in=PERSONAL).distinct()
                 .select_related("target_party", "target_unit").prefetch_related("data"))
    existing = set(ProcessingActivity.objects.filter(workspace=workspace).values_list("slug", flat=True))
    out = []
    for process in processes:
        suggestion = _from_process(process, flows, existing)
        if suggestion is not None:
            out.append(suggestion)
    return out


def _from_process(process: Process, flows: list[DataFlow], existing: set[str]) -> Suggestion | None:
    services, apps, data = [], {}, {}
    for service in process.services.all():
        services.append(service.slug)
        for app in service.applications.all():
            if app.status in _NOT_IN_USE:
                continue
            personal = [d for d in app.data.all() if d.personal_data in PERSONAL]
            if personal:
                apps[app.pk] = app
                data.update({d.pk: d for d in personal})
    if not data:
        return None
    linked = [a.slug for a in process.processing_activities.all()]
    slug = process.slug
    carrying = [f for f in flows if (f.source_application_id in apps or f.target_application_id in apps)
                and any(d.pk in data for d in f.data.all())]
    subjects = []
    for d in data.values():
        if d.data_subjects and d.data_subjects not in subjects:
            subjects.append(d.data_subjects)
    return Suggestion(
        slug=slug, name=process.name, process=process,
        existing=linked[0] if linked else (slug if slug in existing else None),
        services=sorted(services), applications=sorted(a.slug for a in apps.values()),
        data=sorted(d.slug for d in data.values()), data_subjects="; ".join(subjects),
        flows=sorted(f.slug for f in carrying),
        recipients=sorted({f.target_party.slug for f in carrying if f.target_party is not None}),
        internal_recipients=sorted({f.target_unit.slug for f in carrying if f.target_unit is not None}),
        sensitive=any(d.personal_data in SENSITIVE for d in data.values()))


def record_drafts(workspace: Workspace, chosen: list[Suggestion], actor: str = "system"):
    """Write the suggestions not yet in the record as draft activities; returns the import report."""
    from mue.gdpr.record import _main_dpo
    from mue.interchange.importer import import_document

    dpo = _main_dpo(list(ProcessingActivity.objects.filter(workspace=workspace).select_related("dpo")))
    items = [s.as_item(dpo.slug if dpo else None) for s in chosen if s.existing is None]
    return import_document({"processing_activities": items}, workspace=workspace.slug, source="gdpr-suggest",
                           actor=actor)
