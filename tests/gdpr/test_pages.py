"""The GDPR page and its downloads, through the permission gate; the command line."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from mue.cli.main import app
from mue.gdpr.models import ProcessingActivity

pytestmark = pytest.mark.django_db


def test_page_lists_the_record_suggestions_and_a_subject_request(valmont, member):
    viewer = member("victor", "viewer")
    page = viewer.get("/w/valmont/gdpr/?subjects=agents")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Vidéoprotection de la voie publique" in text and "Horizon RH-Paie" in text
    assert "gdpr/suggestions/" not in text  # a viewer may not write drafts
    assert viewer.post("/w/valmont/gdpr/suggestions/").status_code in (403, 404)


def test_downloads(valmont, member):
    viewer = member("victor", "viewer")
    xlsx = viewer.get("/w/valmont/gdpr/record.xlsx")
    assert xlsx.status_code == 200 and "attachment" in xlsx["Content-Disposition"]
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames[0] == "Registre"
    assert viewer.get("/w/valmont/gdpr/record.docx").status_code == 200
    assert viewer.get("/w/valmont/gdpr/record.html").status_code == 200
    assert viewer.get("/w/valmont/gdpr/record.pdf").status_code == 404


def test_outsiders_see_nothing(valmont, django_user_model):
    from django.test import Client

    client = Client()
    client.force_login(django_user_model.objects.create_user("stranger", password="pw-123456789"))
    assert client.get("/w/valmont/gdpr/").status_code == 404
    assert client.get("/w/valmont/gdpr/record.xlsx").status_code == 404


def test_editor_writes_drafts_from_the_page(valmont, member):
    editor = member("edith", "editor")
    response = editor.post("/w/valmont/gdpr/suggestions/")
    assert response.status_code == 302
    assert ProcessingActivity.objects.get(workspace=valmont, slug="seances-conseil").status == "draft"


def test_activity_pages_come_from_the_registry(valmont, member):
    viewer = member("victor", "viewer")
    listing = viewer.get("/w/valmont/processing-activities/")
    assert listing.status_code == 200 and "Vidéoprotection de la voie publique" in listing.content.decode()
    detail = viewer.get("/w/valmont/processing-activities/videoprotection/")
    assert detail.status_code == 200


def test_cli_suggest_record_and_subject(valmont, tmp_path):
    runner = CliRunner(env={"COLUMNS": "250"})
    result = runner.invoke(app, ["gdpr", "suggest", "-w", "valmont"])
    assert result.exit_code == 0, result.output
    assert "1 new suggestion" in result.output  # seances-conseil; the others are in the record
    assert not ProcessingActivity.objects.filter(workspace=valmont, status="draft").exists()  # nothing silent
    result = runner.invoke(app, ["gdpr", "suggest", "-w", "valmont", "--record"])
    assert result.exit_code == 0 and ProcessingActivity.objects.filter(workspace=valmont, status="draft").count() == 1
    out = tmp_path / "registre.xlsx"
    result = runner.invoke(app, ["gdpr", "record", "-w", "valmont", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames[0] == "Registre"
    printed = runner.invoke(app, ["gdpr", "record", "-w", "valmont"])
    assert printed.exit_code == 0 and "Vidéoprotection" in printed.output
    bad = runner.invoke(app, ["gdpr", "record", "-w", "valmont", "-f", "pdf"])
    assert bad.exit_code == 2
    subject = runner.invoke(app, ["gdpr", "subject", "agents", "-w", "valmont"])
    assert subject.exit_code == 0 and "logiciel-rh-paie" in subject.output
    assert runner.invoke(app, ["gdpr", "subject", "martiens", "-w", "valmont"]).exit_code == 4
