"""A workspace's dashboard: every figure from the data, empty panels saying so, constant queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.dashboard.conftest import audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client, demos, django_user_model):
    from mue.core.models import Membership

    user = django_user_model.objects.create_user("owner", password="pw-123456789")
    Membership.objects.create(workspace=demos["valmont"], user=user, role="owner")
    client.force_login(user)
    return client


def test_before_any_audit_the_panels_say_there_is_nothing_yet(owner):
    html = owner.get("/w/valmont/").content.decode()
    assert "No audit has been run on this workspace yet" in html
    assert "No discovery has been run on this workspace yet" in html
    assert "Register completeness" in html
    assert "data-mue-chart" not in html  # no chart drawn from nothing


def test_dashboard_figures_come_from_the_runs_and_the_register(owner, demos):
    from mue.audit.models import Finding

    valmont = demos["valmont"]
    first, second = audit(valmont), audit(valmont)
    response = owner.get("/w/valmont/")
    html = response.content.decode()
    assert 'data-mue-chart="bars"' in html and 'data-mue-chart="line"' in html
    assert "/static/vendor/echarts/echarts.min.js" in html
    panel = response.context["panels"][0]["html"]
    open_high = Finding.objects.filter(run=second, status="open", severity="high").count()
    assert open_high and f"<td>High</td><td class=\"text-end mue-num\">{open_high}</td>" in panel
    assert f">{second.score}</span>" in panel and "since the previous audit" in panel
    assert first.pk != second.pk


def test_renewals_are_bucketed_by_their_notice_deadline(demos):
    from mue.costs.renewals import upcoming
    from mue.dashboard.panels import renewals
    from mue.vendors.models import Contract

    valmont = demos["valmont"]
    today = dt.date(2030, 1, 1)
    Contract.objects.filter(workspace=valmont).update(end=None)
    Contract.objects.create(workspace=valmont, slug="c20", name="C20", end=today + dt.timedelta(days=50),
                            notice_days=30)
    Contract.objects.create(workspace=valmont, slug="c45", name="C45", end=today + dt.timedelta(days=45))
    Contract.objects.create(workspace=valmont, slug="c80", name="C80", end=today + dt.timedelta(days=170),
                            notice_days=90, tacit_renewal=True)
    Contract.objects.create(workspace=valmont, slug="late", name="Late", end=today + dt.timedelta(days=5),
                            notice_days=30)
    found = upcoming([valmont.pk], today)
    assert [(r.slug, r.days_left, r.window) for r in found] == [("c20", 20, 30), ("c45", 45, 60), ("c80", 80, 90)]
    assert [c["count"] for c in renewals(valmont, today)["counts"]] == [1, 1, 1]


def test_a_tacitly_renewed_contract_is_due_on_the_dashboard_as_on_the_renewals_page(demos, django_user_model):
    """Its stated end has passed: it renewed itself, and its next notice deadline is on both pages."""
    from mue.core.models import Membership
    from mue.costs.renewals import renewals as calendar
    from mue.costs.renewals import upcoming
    from mue.dashboard.cockpit import lines
    from mue.dashboard.panels import renewals
    from mue.vendors.models import Contract

    valmont = demos["valmont"]
    today = dt.date(2030, 1, 1)
    Contract.objects.filter(workspace=valmont).update(end=None)
    # A yearly term from 2027-02-15: renewed in 2028, 2029, next end 2030-02-15, notice due 2030-01-16.
    Contract.objects.create(workspace=valmont, slug="rolled", name="Rolled", start=dt.date(2026, 2, 15),
                            end=dt.date(2027, 2, 15), notice_days=30, tacit_renewal=True)
    Contract.objects.create(workspace=valmont, slug="ended", name="Ended", end=dt.date(2027, 2, 15), notice_days=30)
    (due,) = upcoming([valmont.pk], today)
    (page,) = calendar(valmont, today=today)
    assert (due.slug, due.end, due.deadline, due.days_left, due.rolled) == \
        (page.slug, page.end, page.deadline, page.days_left, page.rolled) == \
        ("rolled", dt.date(2030, 2, 15), dt.date(2030, 1, 16), 15, True)
    assert [c["count"] for c in renewals(valmont, today)["counts"]] == [1, 0, 0]
    advisor = django_user_model.objects.create_user("advisor-renewals")
    Membership.objects.create(workspace=valmont, user=advisor, role="auditor")
    (line,) = lines(advisor, today)
    assert line.deadlines == 1 and line.next_deadline == dt.date(2030, 1, 16)


def test_completeness_counts_what_is_missing(demos):
    from mue.applications.models import Application
    from mue.dashboard.panels import completeness

    valmont = demos["valmont"]
    rows = {(r["type"], str(r["label"])): r for r in completeness(valmont)}
    apps = rows[("Applications", "without an owner")]
    assert apps["total"] == Application.objects.filter(workspace=valmont).count()
    assert apps["missing"] == Application.objects.filter(workspace=valmont, owner__isnull=True).count()


def test_critical_services_are_recomputed_after_a_change(demos):
    from mue.dashboard.panels import dashboard
    from mue.infrastructure.models import Asset

    cache.clear()
    valmont = demos["valmont"]
    before = dashboard(valmont)["critical"]
    assert dashboard(valmont)["critical"] == before  # read again from the cache
    assert before["total"] and before["with_spof"]
    police = next(r for r in before["rows"] if any(p["name"] == "Serveur du poste de police" for p in r["spofs"]))
    server = Asset.objects.get(workspace=valmont, slug="srv-police")
    server.tags = ["cluster"]
    server.save()  # logged: a new state of the register
    after = dashboard(valmont)["critical"]
    row = next((r for r in after["rows"] if r["name"] == police["name"]), None)
    assert row is None or all(p["name"] != "Serveur du poste de police" for p in row["spofs"])


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_queries_do_not_grow_with_the_workspace(client, django_user_model):
    from mue.core.models import Membership, Workspace
    from mue.interchange.importer import import_document
    from mue.synthetic.generator import Generator

    users = django_user_model.objects.create_user("counter", password="pw-123456789")
    sizes = []
    for slug, per_type in (("small", 5), ("large", 60)):
        generator = Generator("S", 3, workspace=slug)
        generator.counts = {key: per_type for key in generator.counts}
        import_document(generator.document())
        ws = Workspace.objects.get(slug=slug)
        audit(ws)
        audit(ws)
        Membership.objects.create(workspace=ws, user=users, role="owner")
        sizes.append(ws)
    client.force_login(users)
    counts = [_queries(client, f"/w/{ws.slug}/") for ws in sizes]
    assert counts[0] == counts[1], counts


def test_a_waiver_shows_on_the_dashboard_and_the_cockpit_at_once(owner, demos):
    """The current figures are the live findings (the last audit kept current): a waiver recorded
    after the audit lowers the open count and raises the score without a new run."""
    from mue.audit import live
    from mue.audit.engine import run_audit
    from mue.audit.models import AuditRun
    from mue.audit.waivers import add_waiver
    from mue.dashboard.cockpit import lines
    from mue.dashboard.panels import maturity

    valmont = demos["valmont"]
    result = run_audit(valmont)  # stored, then made live, as the audit job does
    live.publish(valmont, result, live.last_entry(valmont))
    before = maturity(valmont)
    assert before.evaluated is not None and before.score == result.score["score"]
    user = valmont.memberships.get().user
    line_before = next(line for line in lines(user, dt.date.today()) if line.slug == "valmont")
    high = next(f for f in result.open_findings() if f.severity in ("high", "critical"))
    add_waiver(valmont, high.rule_id, f"{high.object_type}:{high.object_slug}", justification="Accepted until March",
               approver="DGS", expires=dt.date.today() + dt.timedelta(days=90))
    live.apply_decisions(valmont)

    after = maturity(valmont)
    assert after.summary["open"] == before.summary["open"] - 1 and after.summary["waived"] == 1
    assert after.score >= before.score and after.run_id == before.run_id == result.run_id
    assert AuditRun.objects.filter(workspace=valmont).count() == 1  # no new run was needed
    line_after = next(line for line in lines(user, dt.date.today()) if line.slug == "valmont")
    assert line_after.serious == line_before.serious - 1 and line_after.score == after.score
    html = owner.get("/w/valmont/").content.decode()
    assert f"{after.summary['open']} findings open today" in html and "1 waived." in html
    assert "findings evaluated on" in html
