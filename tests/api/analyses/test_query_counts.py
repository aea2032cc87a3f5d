"""The analyses' lists send as many queries for a few rows as for hundreds, whatever the page size."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from mue.api.tokens import create_token
from mue.audit.models import AuditRun, Finding, QuestionnaireAnswer, Waiver
from mue.core.models import ChangeLogEntry, Membership, Workspace
from mue.discovery.models import DiscoveredService, DiscoveryRun
from tests.api.conftest import ApiClient
from tests.api.test_query_counts import _queries

pytestmark = pytest.mark.django_db


def _workspace(slug: str, n: int) -> Workspace:
    ws = Workspace.objects.create(slug=slug, name=slug)
    now = timezone.now()
    runs = AuditRun.objects.bulk_create([
        AuditRun(workspace=ws, as_of=now.date(), started=now - dt.timedelta(hours=i), finished=now, score=3.0,
                 domain_scores={}, summary={}) for i in range(max(2, n // 10))])
    Finding.objects.bulk_create([
        Finding(run=runs[0], rule_id=f"DOC-{i % 9 + 1:03d}", domain="documentation", severity="low",
                object_type="application", object_id=i, object_slug=f"app-{i}", object_name=f"App {i}",
                evidence={"owner": None}) for i in range(n)])
    Waiver.objects.bulk_create([
        Waiver(workspace=ws, rule_id="DOC-003", object_type="application", object_slug=f"app-{i}",
               justification="j", approver="a", expires=now.date()) for i in range(n)])
    QuestionnaireAnswer.objects.bulk_create([
        QuestionnaireAnswer(workspace=ws, question_id="CON-Q01", answer="yes", answered_by="x",
                            answered_on=now.date()) for _i in range(n)])
    request = uuid.uuid4()
    ChangeLogEntry.objects.bulk_create([
        ChangeLogEntry(workspace=ws, time=now - dt.timedelta(seconds=i), actor_name="x", source="api",
                       request_id=request, action="update", object_type="application", object_id=i,
                       object_slug=f"app-{i}", before={"name": "a"}, after={"name": "b"}) for i in range(n)])
    discovery = DiscoveryRun.objects.bulk_create([
        DiscoveryRun(workspace=ws, started=now - dt.timedelta(hours=i), finished=now, report={"services": n})
        for i in range(max(2, n // 10))])
    DiscoveredService.objects.bulk_create([
        DiscoveredService(run=discovery[0], service_id=f"svc-{i}", name=f"Service {i}", category="file-sharing",
                          users=i, requests=i, bytes=i, first_seen=now, last_seen=now) for i in range(n)])
    return ws


@pytest.fixture
def sized(django_user_model):
    user = django_user_model.objects.create_user("counter", password="pw-123456789")
    workspaces = [_workspace("few", 5), _workspace("many", 600)]
    for ws in workspaces:
        Membership.objects.create(workspace=ws, user=user, role="owner")
    return ApiClient(create_token(user, "counts")[1]), workspaces


#: The paged lists (asked at two page sizes) and the unpaged ones (a workspace has few waivers and answers).
PAGED = ["audit/runs", "audit/runs/{run}/findings", "changes", "discovery/runs", "discovery/runs/{discovery}/services"]
UNPAGED = ["audit/waivers", "audit/answers"]


@pytest.mark.parametrize("path", PAGED + UNPAGED)
def test_analysis_lists_do_not_grow(sized, path):
    api, workspaces = sized
    sizes = ({"limit": 25}, {"limit": 1000}) if path in PAGED else ({},)
    counts = []
    for ws in workspaces:
        run = AuditRun.objects.filter(workspace=ws).order_by("-started").first().pk
        discovery = DiscoveryRun.objects.filter(workspace=ws).order_by("-started").first().pk
        url = f"/api/v1/workspaces/{ws.slug}/" + path.format(run=run, discovery=discovery)
        counts += [_queries(api, url, **params) for params in sizes]
    assert len(set(counts)) == 1, f"{path}: {counts}"
