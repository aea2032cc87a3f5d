"""The services found by a discovery run: as many queries for a few services as for hundreds."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mue.applications.models import Application
from mue.core.models import Membership, Workspace
from mue.discovery.models import DiscoveredService, DiscoveryRun

pytestmark = pytest.mark.django_db


def _workspace(slug: str, services: int) -> tuple[Workspace, DiscoveryRun]:
    ws = Workspace.objects.create(slug=slug, name=slug)
    now = timezone.now()
    apps = [Application.objects.create(workspace=ws, slug=f"app-{i}", name=f"App {i}") for i in range(3)]
    run = DiscoveryRun.objects.create(workspace=ws, started=now, finished=now, report={
        "services": services, "top_unknown_domains": [{"domain": f"d{i}.example", "requests": i, "users": 1}
                                                      for i in range(min(services, 50))]})
    DiscoveredService.objects.bulk_create([
        DiscoveredService(run=run, service_id=f"svc-{i}", name=f"Service {i}", category="file-sharing",
                          application=apps[i % 3] if i % 2 else None, users=i, requests=10 * i, bytes=1000 * i,
                          first_seen=now, last_seen=now, risk_score=i % 10 if i % 5 else None)
        for i in range(services)])
    return ws, run


@pytest.fixture
def sized(client, django_user_model):
    user = django_user_model.objects.create_user("counter", password="pw-123456789")
    out = [_workspace("few", 4), _workspace("many", 600)]
    for ws, _run in out:
        Membership.objects.create(workspace=ws, user=user, role="owner")
    client.force_login(user)
    return client, out


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("query", ["", "?sort=name&per_page=100", "?sort=-risk&page=last", "?register=shadow&q=ser",
                                   "?sort=register", "?register=known&sort=-volume"])
def test_services_found(sized, query):
    client, workspaces = sized
    counts = [_queries(client, f"/w/{ws.slug}/discovery/runs/{run.pk}/{query}") for ws, run in workspaces]
    assert counts[0] == counts[1], counts


def test_discovery_home(sized):
    client, workspaces = sized
    counts = [_queries(client, f"/w/{ws.slug}/discovery/") for ws, _run in workspaces]
    assert counts[0] == counts[1], counts
