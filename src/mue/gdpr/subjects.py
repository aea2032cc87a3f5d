"""The data subject request helper: where a category of data subjects' data are held and sent.

Given words naming data subjects ("agents", "enfants"), the data categories whose data subjects
match, then every application holding them, flow carrying them and vendor behind either: what an
access or erasure request (GDPR art. 15, 17) must go through.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from mue.applications.models import Application
from mue.core.models import Workspace
from mue.dataflows.models import DataCategory, DataFlow
from mue.gdpr.models import ProcessingActivity
from mue.vendors.models import ExternalParty

PERSONAL = ("personal", "sensitive", "criminal")


@dataclass
class SubjectMap:
    query: str
    categories: list[DataCategory]
    applications: list[Application]
    flows: list[DataFlow]
    vendors: list[ExternalParty]
    activities: list[ProcessingActivity]


def subject_categories(workspace: Workspace, query: str) -> QuerySet:
    """Personal data categories whose data subjects (or name) contain every word of ``query``."""
    condition = Q()
    for word in query.split():
        condition &= Q(data_subjects__icontains=word) | Q(name__icontains=word) | Q(slug=word)
    return DataCategory.objects.filter(workspace=workspace, personal_data__in=PERSONAL).filter(condition)


def subject_map(workspace: Workspace, query: str) -> SubjectMap:
    matching = subject_categories(workspace, query)
    categories = list(matching.order_by("name"))
    ids = matching.values("pk")  # a subquery, not a list of ids
    applications = list(Application.objects.filter(workspace=workspace, data__in=ids).exclude(status="retired")
                        .select_related("vendor").distinct().order_by("name"))
    flows = list(DataFlow.objects.filter(workspace=workspace, data__in=ids).distinct().select_related(
        "source_application", "source_unit", "source_party", "source_asset", "target_application", "target_unit",
        "target_party", "target_asset").order_by("name"))
    vendors = {a.vendor.pk: a.vendor for a in applications if a.vendor is not None}
    vendors.update({f.target_party.pk: f.target_party for f in flows if f.target_party is not None})
    activities = list(ProcessingActivity.objects.filter(workspace=workspace, data__in=ids, status="active")
                      .distinct().order_by("name"))
    return SubjectMap(query=query, categories=categories, applications=applications, flows=flows,
                      vendors=sorted(vendors.values(), key=lambda p: p.name), activities=activities)
