"""The live findings: after changes, the refreshed live run holds what a full audit would find."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from mue.audit import live
from mue.audit.engine import run_audit
from mue.audit.models import AuditRun, Finding
from mue.audit.waivers import add_waiver, answer_question
from mue.core.changelog import change_context

pytestmark = pytest.mark.django_db


def _stored(workspace) -> set[tuple]:
    run = AuditRun.with_live.get(workspace=workspace, live=True)
    return set(Finding.objects.filter(run=run).values_list("rule_id", "object_type", "object_slug", "status"))


def _fresh(workspace) -> set[tuple]:
    return {(*f.key, f.status) for f in run_audit(workspace, store=False).findings}


def _publish(workspace):
    live.publish(workspace, run_audit(workspace, store=False), live.last_entry(workspace))


def test_refresh_after_changes_equals_a_full_audit(valmont):
    from mue.applications.models import Application
    from mue.dataflows.models import DataFlow

    _publish(valmont)
    assert AuditRun.objects.filter(workspace=valmont).count() == 0  # the live run is not a snapshot
    with change_context("test", "test"):
        flow = DataFlow.objects.get(workspace=valmont, slug="rh-vers-mutuelle-courriel")
        flow.encrypted = True
        flow.save()
        app = Application.objects.filter(workspace=valmont, owner__isnull=False).first()
        app.owner = None
        app.save()
    live.refresh(valmont)
    assert _stored(valmont) == _fresh(valmont)
    with change_context("test", "test"):  # a second round, from this process's cached result
        Application.objects.filter(pk=app.pk).first().delete()
    live.refresh(valmont)
    assert _stored(valmont) == _fresh(valmont)
    run = AuditRun.with_live.get(workspace=valmont, live=True)
    assert run.changes_through == live.last_entry(valmont)
    assert run.score == run_audit(valmont, store=False).score["score"]


def test_a_rolled_back_refresh_leaves_nothing_behind(valmont):
    from mue.dataflows.models import DataFlow

    _publish(valmont)
    before = _stored(valmont)
    with pytest.raises(RuntimeError), transaction.atomic(), change_context("test", "test"):
        flow = DataFlow.objects.get(workspace=valmont, slug="rh-vers-mutuelle-courriel")
        flow.encrypted = True
        flow.save()
        live.refresh(valmont)
        raise RuntimeError("the edit fails after the refresh")
    assert _stored(valmont) == before
    live.refresh(valmont)  # nothing changed since: the cache of the rolled-back state is not used
    assert _stored(valmont) == before == _fresh(valmont)


def test_waivers_and_answers_applied_like_a_full_audit(valmont):
    from mue.audit.rules import questions

    _publish(valmont)
    add_waiver(valmont, "DAT-001", "flow:rh-vers-mutuelle-courriel", justification="j", approver="a",
               expires=dt.date.today() + dt.timedelta(days=10))
    answer_question(valmont, questions()[0].id, "no", answered_by="x")
    live.apply_decisions(valmont)
    assert _stored(valmont) == _fresh(valmont)
    run = AuditRun.with_live.get(workspace=valmont, live=True)
    assert run.domain_scores == run_audit(valmont, store=False).score


def test_no_live_run_before_the_first_audit(valmont):
    assert live.refresh(valmont) is None and live.apply_decisions(valmont) is None
