"""Re-auditing after changes gives exactly what a full audit gives, with fewer queries."""

import copy
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mue.applications.models import Application
from mue.audit.changes import Change, changes_since
from mue.audit.engine import run_audit
from mue.audit.incremental import reaudit, types_read
from mue.audit.models import Waiver
from mue.audit.rules import get_rule, observed_rules
from mue.audit.rules.base import AuditContext
from mue.core.models import ChangeLogEntry
from mue.dataflows.models import DataCategory, DataFlow
from mue.documents.models import Document, DocumentLink, TermsOfUse
from mue.infrastructure.models import Asset
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


def _last_entry() -> int:
    return ChangeLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_reaudit_from_the_change_log_matches_full_audit_after_each_change():
    """The changed fields the log records narrow the re-audit; the result stays the full audit's."""
    ws = load(DOC)
    current = run_audit(ws, AS_OF, store=False)
    mark = _last_entry()
    apps = {a.slug: a for a in Application.objects.filter(workspace=ws)}
    sensitive = DataCategory.objects.create(workspace=ws, slug="health", name="Health", personal_data="sensitive")

    def step():
        nonlocal current, mark
        changes, mark = changes_since(ws.pk, mark)
        assert changes
        current = reaudit(current, ws, changes)
        _same(current, run_audit(ws, AS_OF, store=False))

    step()  # a creation: every field counts
    apps["a"].owner = None
    apps["a"].save()
    step()
    apps["a"].status = "retired"
    apps["a"].save()
    step()
    apps["b"].data.set([sensitive])  # a many-to-many field: its link table
    step()
    service = Service.objects.get(workspace=ws)
    DocumentLink.objects.create(document=Document.objects.get(workspace=ws), target_type="service",
                                target_id=service.pk)  # logged on the document as "about"
    step()
    service.criticality = 1
    service.rto_hours = None
    service.save()
    step()
    DataFlow.objects.create(workspace=ws, slug="g", name="G", source_application=apps["b"],
                            target_application=apps["c"], protocol="ftp")
    step()
    flow = DataFlow.objects.get(workspace=ws, slug="g")
    flow.data.set([sensitive])
    flow.encrypted = False
    flow.save()
    step()
    Waiver.objects.create(workspace=ws, rule_id="DOC-003", object_type="application", object_slug="c",
                          justification="j", approver="a", expires=dt.date(2099, 1, 1))
    apps["c"].name = "C2"  # the findings name their object: re-read
    apps["c"].save()
    step()
    assert {f.object_name for f in current.findings if f.object_slug == "c"} == {"C2"}
    apps["c"].delete()
    step()


def test_reaudit_skips_rules_reading_none_of_the_changed_fields():
    ws = load(DOC)
    previous = run_audit(ws, AS_OF, store=False)
    app = Application.objects.get(workspace=ws, slug="a")
    app.description = "Read by no rule"
    app.owner = None
    app.save()
    same = reaudit(previous, ws, [Change("application", app.pk, frozenset({"description"}))])
    assert all(kept is before for kept, before in zip(same.rules, previous.rules, strict=True))  # none re-run

    def rerun(result):
        return {new.rule_id for new, old in zip(result.rules, previous.rules, strict=True) if new is not old}

    owner = reaudit(previous, ws, [("application", app.pk, {"owner_id"})])
    unknown = reaudit(previous, ws, [("application", app.pk)])  # without fields: every column counts
    flow_rules = {rule.id for rule in observed_rules() if rule.object_type == "flow"}
    assert "DOC-003" in rerun(owner) and not rerun(owner) & flow_rules  # flow rules read no owner
    assert rerun(unknown) & flow_rules and rerun(owner) < rerun(unknown)
    assert "a" in {f.object_slug for f in owner.findings_for("DOC-003")}


def test_reaudit_leaves_the_previous_result_as_it_was():
    """Kept findings are shared with the previous result: waiving must replace them, not change them."""
    ws = load(DOC)
    previous = run_audit(ws, AS_OF, store=False)
    before = copy.deepcopy(previous.findings)
    Waiver.objects.create(workspace=ws, rule_id="DOC-003", object_type="application", object_slug="c",
                          justification="j", approver="a", expires=dt.date(2099, 1, 1))
    app = Application.objects.get(workspace=ws, slug="b")
    app.owner = None
    app.save()
    after = reaudit(previous, ws, [("application", app.pk, {"owner_id"})])
    assert previous.findings == before
    assert {f.object_slug: f.status for f in after.findings_for("DOC-003")} == {"b": "open", "c": "waived"}


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


NARROWED = {
    "people": PEOPLE,
    "data_categories": [{"slug": "pers", "name": "Pers", "personal_data": "personal"},
                        {"slug": "none", "name": "None", "personal_data": "none"}],
    "parties": [{"slug": "v", "name": "V", "kind": "vendor"}],
    "assets": [{"slug": "h1", "name": "H1", "kind": "server"}, {"slug": "h2", "name": "H2", "kind": "server"},
               {"slug": "vm", "name": "VM", "kind": "virtual-machine", "host": "h1"}],
    "applications": [{"slug": "a", "name": "A", "kind": "saas", "status": "approved", "category": "email",
                      "runs_on": ["vm"]},
                     {"slug": "b", "name": "B", "kind": "custom", "status": "approved", "category": "crm",
                      "depends_on": ["c"], "runs_on": ["h2"], "data": ["none"]},
                     {"slug": "c", "name": "C", "kind": "saas", "status": "approved", "category": "crm"}],
    "services": [{"slug": "s", "name": "S", "criticality": 4, "applications": ["a", "b"]}],
    "contracts": [{"slug": "k", "name": "K", "vendor": "v", "applications": ["b"]}],
    "terms_of_use": [{"slug": "t", "name": "T", "direction": "consumed", "application": "c"}],
}


def test_reaudit_of_narrowed_rules_adds_and_removes_findings():
    """CST-001 (category), CON-001 (machines through hosts), CON-008 (dependencies), DAT-011 (data of the
    covered applications), TOU-001 (evidence of the application): each change adds a finding, then removes it."""
    ws = load(NARROWED)
    current = run_audit(ws, AS_OF, store=False)
    apps = {a.slug: a for a in Application.objects.filter(workspace=ws)}
    assets = {a.slug: a for a in Asset.objects.filter(workspace=ws)}

    def step(changes, rule_id, slug, present):
        nonlocal current
        current = reaudit(current, ws, changes)
        _same(current, run_audit(ws, AS_OF, store=False))
        assert (slug in {f.object_slug for f in current.findings_for(rule_id)}) is present

    def save(obj, **values):
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()

    save(apps["c"], category="email")  # "crm" keeps b alone, "email" gets a and c: CST-001 fires on a
    step([("application", apps["c"].pk)], "CST-001", "a", True)
    save(apps["c"], category="crm")  # back: the earlier category is known from the finding's evidence
    step([("application", apps["c"].pk)], "CST-001", "a", False)
    save(apps["c"], category="email", status="retired")  # retired: out of scope, a alone again
    step([("application", apps["c"].pk)], "CST-001", "a", False)
    save(apps["c"], status="approved", category="crm")
    step([("application", apps["c"].pk)], "CON-008", "b", False)
    save(apps["c"], status="retired")  # the dependency of b retires: CON-008 fires on b
    step([("application", apps["c"].pk)], "CON-008", "b", True)
    save(apps["c"], status="approved")
    step([("application", apps["c"].pk)], "CON-008", "b", False)

    save(assets["h2"], kind="virtual-machine", host=assets["h1"])  # both machines on h1: CON-001 fires on s
    step([("asset", assets["h2"].pk)], "CON-001", "s", True)
    save(assets["h2"], kind="server", host=None)
    step([("asset", assets["h2"].pk)], "CON-001", "s", False)

    apps["b"].data.set([DataCategory.objects.get(workspace=ws, slug="pers")])  # k now covers personal data
    step([("application", apps["b"].pk)], "DAT-011", "k", True)
    personal = DataCategory.objects.get(workspace=ws, slug="pers")
    save(personal, personal_data="none")  # the category itself stops being personal
    step([("data_category", personal.pk)], "DAT-011", "k", False)

    step([("application", apps["c"].pk)], "TOU-001", "t", True)
    save(apps["c"], slug="c2")  # the evidence names the application's new slug
    step([("application", apps["c"].pk)], "TOU-001", "t", True)
    assert {f.evidence["application"] for f in current.findings_for("TOU-001")} == {"c2"}
    TermsOfUse.objects.filter(workspace=ws).update(last_reviewed=AS_OF)
    step([("terms", TermsOfUse.objects.get(workspace=ws).pk)], "TOU-001", "t", False)


def test_declared_related_lookups_follow_links_stored_on_the_near_side():
    """A link stored on the changed object could have been removed by the change: it is never declared."""
    from mue.audit.rules import observed_rules
    from mue.core.registry import registry

    for rule in observed_rules():
        for object_type, paths in rule.related.items():
            for path in paths:
                model = registry.by_singular(rule.object_type).model
                for name in path.split("__"):
                    field = model._meta.get_field(name)
                    assert not field.auto_created or field.concrete, (rule.id, path, name)
                    model = field.related_model
                assert model is registry.by_singular(object_type).model, (rule.id, path)
