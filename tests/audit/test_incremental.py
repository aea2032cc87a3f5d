"""Re-auditing after changes gives exactly what a full audit gives, with fewer queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mue.applications.models import Application
from mue.audit.engine import run_audit
from mue.audit.incremental import reaudit, types_read
from mue.audit.models import Waiver
from mue.audit.rules import get_rule
from mue.audit.rules.base import AuditContext
from mue.dataflows.models import DataCategory
from mue.documents.models import Document, DocumentLink
from mue.services.models import Service
from tests.audit.helpers import AS_OF, PEOPLE, load

pytestmark = pytest.mark.django_db

DOC = {
    "people": PEOPLE,
    "data_categories": [{"slug": "fam", "name": "Fam", "personal_data": "none"}],
    "assets": [{"slug": "srv", "name": "Srv", "kind": "server"}],
    "applications": [{"slug": "a", "name": "A", "kind": "saas", "owner": "alice", "category": "email",
                      "data": ["fam"]},
                     {"slug": "b", "name": "B", "kind": "custom", "depends_on": ["a"], "runs_on": ["srv"],
                      "category": "email"},
                     {"slug": "c", "name": "C", "kind": "saas", "category": "crm"}],
    "services": [{"slug": "s", "name": "S", "criticality": 3, "rto_hours": 4, "applications": ["b"]}],
    "flows": [{"slug": "f", "from": "a", "to": "b", "data": ["fam"], "protocol": "https"}],
    "documents": [{"slug": "d", "name": "D", "kind": "procedure"}],
}


def _same(incremental, full):
    assert [(r.rule_id, r.status, r.scope, r.failing, r.waived) for r in incremental.rules] == \
        [(r.rule_id, r.status, r.scope, r.failing, r.waived) for r in full.rules]
    assert sorted((f.key, f.status, str(f.evidence)) for f in incremental.findings) == \
        sorted((f.key, f.status, str(f.evidence)) for f in full.findings)
    assert incremental.score == full.score


def test_reaudit_matches_full_audit_after_each_change():
    ws = load(DOC)
    current = run_audit(ws, AS_OF, store=False)
    apps = {a.slug: a for a in Application.objects.filter(workspace=ws)}

    def step(changes):
        nonlocal current
        current = reaudit(current, ws, changes)
        _same(current, run_audit(ws, AS_OF, store=False))

    apps["a"].owner = None  # own row of a local rule
    apps["a"].save()
    step([("application", apps["a"].pk)])
    apps["a"].status = "retired"  # its dependents' verdicts change (CON-008, non-local)
    apps["a"].save()
    step([("application", apps["a"].pk)])
    DataCategory.objects.filter(workspace=ws).update(personal_data="sensitive")  # flows and apps rules
    step([("data_category", DataCategory.objects.get(workspace=ws).pk)])
    service = Service.objects.get(workspace=ws)
    DocumentLink.objects.create(document=Document.objects.get(workspace=ws), target_type="service",
                                target_id=service.pk)
    step([("document", Document.objects.get(workspace=ws).pk)])
    service.criticality = 1
    service.save()
    step([("service", service.pk)])
    Waiver.objects.create(workspace=ws, rule_id="DOC-003", object_type="application", object_slug="c",
                          justification="j", approver="a", expires=dt.date(2099, 1, 1))
    apps["c"].name = "C2"
    apps["c"].save()
    step([("application", apps["c"].pk)])
    deleted = apps["c"].pk
    apps["c"].delete()
    step([("application", deleted)])


def test_reaudit_of_one_object_reads_less_than_a_full_audit():
    ws = load(DOC)
    previous = run_audit(ws, AS_OF, store=False)
    app = Application.objects.get(workspace=ws, slug="c")
    with CaptureQueriesContext(connection) as full:
        run_audit(ws, AS_OF, store=False)
    with CaptureQueriesContext(connection) as partial:
        reaudit(previous, ws, [("application", app.pk)])
    assert len(partial.captured_queries) < len(full.captured_queries)


def test_types_read_are_derived_from_the_rule_sql():
    ctx = AuditContext(workspace=load(DOC), as_of=AS_OF)
    assert types_read(get_rule("DOC-001"), ctx) >= {"service", "document"}
    assert "flow" in types_read(get_rule("DAT-001"), ctx) and "data_category" in types_read(get_rule("DAT-001"), ctx)
    assert "flow" not in types_read(get_rule("DOC-003"), ctx)
