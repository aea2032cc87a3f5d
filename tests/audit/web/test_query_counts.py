"""The audit's list pages send as many queries for a few findings (and runs) as for hundreds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mue.audit.models import AuditRun
from mue.audit.results import FindingData
from mue.audit.rules import observed_rules
from mue.audit.score import maturity
from mue.audit.store import _insert_findings
from mue.core.models import Membership, Workspace

pytestmark = pytest.mark.django_db


def _workspace(slug: str, findings: int, runs: int) -> Workspace:
    ws = Workspace.objects.create(slug=slug, name=slug)
    now = timezone.now()
    fields = dict(as_of=dt.date.today(), started=now, finished=now, domain_scores=maturity([]), summary={"open": 0})
    live = AuditRun.with_live.create(workspace=ws, live=True, changes_through=0, **fields)
    for _ in range(runs):
        AuditRun.objects.create(workspace=ws, **fields)
    rules = observed_rules()
    rows = []
    for i in range(findings):
        rule = rules[i % len(rules)]
        rows.append(FindingData(rule.id, rule.domain, rule.severity, rule.object_type, i + 1, f"obj-{i:04d}",
                                f"Object {i}", {key: f"value {i}" for key in rule.evidence},
                                status="waived" if i % 7 == 0 else "open"))
    _insert_findings(live.pk, rows)
    return ws


@pytest.fixture
def member(client, django_user_model):
    user = django_user_model.objects.create_user("counter", password="pw-123456789")
    for ws in (_workspace("few", 3, 2), _workspace("many", 400, 120)):
        Membership.objects.create(workspace=ws, user=user, role="owner")
    client.force_login(user)
    return client


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("query", ["", "?status=all&per_page=100", "?page=last", "?severity=high&q=obj",
                                   "?domain=security&status=waived"])
def test_findings_list(member, query):
    counts = [_queries(member, f"/w/{slug}/audit/{query}") for slug in ("few", "many")]
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("query", ["", "?page=last"])
def test_runs_list(member, query):
    counts = [_queries(member, f"/w/{slug}/audit/runs/{query}") for slug in ("few", "many")]
    assert counts[0] == counts[1], counts
