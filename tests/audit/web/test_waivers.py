"""The waivers page: accepted risks listed with their state, revoked by an auditor, kept on record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mue.audit import live
from mue.audit.engine import run_audit
from mue.audit.models import Finding, Waiver
from mue.audit.waivers import add_waiver

pytestmark = pytest.mark.django_db

P03 = ("DAT-001", "flow", "rh-vers-mutuelle-courriel")


@pytest.fixture
def waived(valmont):
    live.publish(valmont, run_audit(valmont, store=True), live.last_entry(valmont))
    waiver = add_waiver(valmont, P03[0], f"{P03[1]}:{P03[2]}", justification="Portail sécurisé en mars",
                        approver="DGS", expires=timezone.localdate() + dt.timedelta(days=60))
    live.apply_decisions(valmont)
    return waiver


def _live_status(valmont) -> str:
    return Finding.objects.get(run=live.live_run(valmont), rule_id=P03[0], object_slug=P03[2]).status


def test_list_and_revoke(owner_client, valmont, waived):
    assert _live_status(valmont) == "waived"
    url = reverse("web:audit_waivers", args=["valmont"])
    page = owner_client.get(url).content.decode()
    assert "Portail sécurisé en mars" in page and "In force" in page and "/flows/rh-vers-mutuelle-courriel/" in page
    response = owner_client.post(reverse("web:audit_waiver_revoke", args=["valmont", waived.pk]))
    assert response.status_code == 302
    waived.refresh_from_db()
    assert waived.revoked is not None and waived.revoked_by
    assert _live_status(valmont) == "open"
    page = owner_client.get(url).content.decode()
    assert "Revoked" in page and "revoked on" in page and "audit_waiver_revoke" not in page
    again = owner_client.post(reverse("web:audit_waiver_revoke", args=["valmont", waived.pk]), follow=True)
    assert "revoked already" in again.content.decode()


def test_a_viewer_reads_but_cannot_revoke(valmont, waived, member_factory):
    client = Client()
    client.force_login(member_factory(valmont, "viewer"))
    page = client.get(reverse("web:audit_waivers", args=["valmont"])).content.decode()
    assert "Portail sécurisé en mars" in page and 'data-mue-confirm' not in page
    assert client.post(reverse("web:audit_waiver_revoke", args=["valmont", waived.pk])).status_code == 404
    assert Waiver.objects.get(pk=waived.pk).revoked is None


def test_queries_do_not_grow_with_waivers(owner_client, valmont, waived):
    url = reverse("web:audit_waivers", args=["valmont"])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert owner_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    count()
    few = count()
    for slug in ("logiciel-police", "logiciel-rh-paie", "logiciel-finances"):
        add_waiver(valmont, "DOC-003", f"application:{slug}", justification="j", approver="a",
                   expires=timezone.localdate() + dt.timedelta(days=10))
    assert count() == few + 1  # one more referenced type (applications), not one per waiver
