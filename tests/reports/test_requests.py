"""Requests for information sent to vendors: recorded from the page and the CLI, answered, listed in reports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from typer.testing import CliRunner

from mue.cli.main import app
from mue.core.models import Membership
from mue.reports.interests import requests_of
from mue.reports.models import InformationRequest, RequestRecipient
from mue.reports.requests import RequestError, record_answer, record_request

pytestmark = pytest.mark.django_db


def _client(valmont, django_user_model, name: str, role: str) -> Client:
    user = django_user_model.objects.create_user(name, password="pw-123456789")
    Membership.objects.create(workspace=valmont, user=user, role=role)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")  # the source strings (French is the site's default)
    client.force_login(user)
    return client


def test_record_and_answer_from_the_page(valmont, django_user_model):
    auditor = _client(valmont, django_user_model, "claire", "auditor")
    viewer = _client(valmont, django_user_model, "victor", "viewer")
    url = "/w/valmont/reports/requests/"
    assert "No request for information recorded." in auditor.get(url).content.decode()
    response = auditor.post(url, {"form": "request", "subject": "Localisation des données",
                                  "question": "Où sont hébergées les sauvegardes ?", "sent_on": "2026-10-01",
                                  "recipients": ["microsoft", "enfantia"]})
    assert response.status_code == 302, response.content.decode()[:2000]
    request = InformationRequest.objects.get(workspace=valmont)
    assert sorted(request.answers.values_list("party__slug", flat=True)) == ["enfantia", "microsoft"]
    answered = auditor.post(url, {"form": "answer", "request_id": request.pk, "vendor": "enfantia",
                                  "answered_on": "2026-10-10", "answer": "En France (OVHcloud, Roubaix)."})
    assert answered.status_code == 302
    page = viewer.get(url).content.decode()
    assert "Localisation des données" in page and "OVHcloud" in page and "No answer yet." in page
    assert 'name="form" value="answer"' not in page  # a viewer reads, does not record
    assert viewer.post(url, {"form": "request", "subject": "x"}).status_code == 404
    line = requests_of(valmont)[0]
    assert line.number == request.pk and ("Enfantia", "2026-10-10", "En France (OVHcloud, Roubaix).") in line.answers


def test_a_request_needs_a_subject_and_known_vendors(valmont):
    with pytest.raises(RequestError):
        record_request(valmont, " ", ["microsoft"])
    with pytest.raises(RequestError, match="nowhere"):
        record_request(valmont, "Tarifs", ["microsoft", "nowhere"])
    with pytest.raises(RequestError):
        record_request(valmont, "Tarifs", [])
    assert not InformationRequest.objects.exists() and not RequestRecipient.objects.exists()
    request = record_request(valmont, "Tarifs", ["microsoft"], sent_on=dt.date(2026, 9, 1))
    with pytest.raises(RequestError):
        record_answer(valmont, request.pk, "enfantia", "Oui")  # not sent to them
    with pytest.raises(RequestError):
        record_answer(valmont, request.pk, "microsoft", "  ")


def test_the_cli_records_lists_and_answers(valmont, monkeypatch):
    from mue.cli.app import console

    monkeypatch.setattr(console, "width", 200)  # the table as a wide terminal shows it (cells fold when narrow)
    runner = CliRunner()
    done = runner.invoke(app, ["report-request", "-w", "valmont", "--subject", "Réversibilité", "--to",
                               "microsoft,enfantia", "--sent", "2026-10-02"])
    assert done.exit_code == 0, done.output
    request = InformationRequest.objects.get(workspace=valmont)
    done = runner.invoke(app, ["report-answer", "-w", "valmont", str(request.pk), "microsoft", "Export CSV complet",
                               "--on", "2026-10-05"])
    assert done.exit_code == 0, done.output
    listed = runner.invoke(app, ["report-request", "-w", "valmont"])
    assert listed.exit_code == 0 and "Réversibilité" in listed.output and "Export CSV complet" in listed.output
    wrong = runner.invoke(app, ["report-request", "-w", "valmont", "--subject", "x", "--to", "nowhere"])
    assert wrong.exit_code != 0 and "nowhere" in wrong.output and "Traceback" not in wrong.output
    bad_date = runner.invoke(app, ["report-answer", "-w", "valmont", str(request.pk), "microsoft", "x", "--on", "soon"])
    assert bad_date.exit_code != 0 and ("YYYY-MM-DD" in bad_date.output or "AAAA-MM-JJ" in bad_date.output)


def test_the_page_queries_do_not_grow_with_requests(valmont, django_user_model):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    auditor = _client(valmont, django_user_model, "claire", "auditor")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert auditor.get("/w/valmont/reports/requests/").status_code == 200
        return len(ctx.captured_queries)

    record_request(valmont, "Premier", ["microsoft"])
    count()
    few = count()
    for n in range(8):
        record_request(valmont, f"Demande {n}", ["microsoft", "enfantia"])
    assert count() == few
