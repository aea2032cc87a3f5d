"""Suggestions from the map, the record's exports (the CNIL XLSX read back), the subject request helper."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from mue.gdpr.exports import render
from mue.gdpr.models import ProcessingActivity
from mue.gdpr.record import build_record
from mue.gdpr.subjects import subject_map
from mue.gdpr.suggest import record_drafts, suggestions

pytestmark = pytest.mark.django_db

DEMO_ACTIVITIES = {"etat-civil", "elections", "cantine-periscolaire", "videoprotection", "police-municipale",
                   "rh-paie", "urbanisme", "action-sociale", "newsletter", "mediatheque"}


def test_suggest_proposes_the_demo_activities(valmont):
    found = suggestions(valmont)
    assert DEMO_ACTIVITIES <= {s.existing for s in found}
    video = next(s for s in found if s.existing == "videoprotection")
    assert video.data == ["images-videoprotection"] and video.applications == ["logiciel-videoprotection"]
    assert "gendarmerie" in video.recipients
    cantine = next(s for s in found if s.slug == "facturation-familles")
    assert cantine.sensitive  # children's health data: the WP248 "sensitive" criterion is pre-ticked


def test_suggest_writes_only_new_suggestions_and_only_as_drafts(valmont):
    before = set(ProcessingActivity.objects.filter(workspace=valmont).values_list("slug", "status"))
    new = [s for s in suggestions(valmont) if s.existing is None]
    assert [s.slug for s in new] == ["seances-conseil"]
    record_drafts(valmont, suggestions(valmont))
    drafts = ProcessingActivity.objects.filter(workspace=valmont, status="draft")
    assert set(drafts.values_list("slug", flat=True)) == {"seances-conseil"}
    draft = drafts.get()
    assert draft.dpo.slug == "laure-besson" and draft.responsible.slug == "helene-marchand"
    assert before <= set(ProcessingActivity.objects.filter(workspace=valmont).values_list("slug", "status"))
    # The draft now covers its process: suggesting again proposes nothing new, and nothing is written twice.
    assert not [s for s in suggestions(valmont) if s.existing is None]
    assert not record_drafts(valmont, suggestions(valmont)).changed
    # A draft is not in the record.
    assert "seances-conseil" not in {v.activity.slug for v in build_record(valmont).items}


def test_suggestions_and_record_cost_constant_queries(valmont):
    with CaptureQueriesContext(connection) as small:
        suggestions(valmont)
        build_record(valmont)
    ProcessingActivity.objects.filter(workspace=valmont, slug="etat-civil").get().applications.add(
        *valmont_apps(valmont))
    with CaptureQueriesContext(connection) as large:
        suggestions(valmont)
        build_record(valmont)
    assert len(large.captured_queries) == len(small.captured_queries) <= 30


def valmont_apps(ws):
    from mue.applications.models import Application

    return list(Application.objects.filter(workspace=ws))


def test_cnil_xlsx_has_the_model_headings(valmont):
    wb = load_workbook(io.BytesIO(render(build_record(valmont), "xlsx")))
    assert wb.sheetnames[0] == "Registre" and len(wb.sheetnames) == 13
    summary = wb["Registre"]
    assert summary["A1"].value == "Registre des activités de traitement"
    assert summary["A2"].value == "Organisme : Commune de Valmont"
    assert summary["A3"].value.startswith("Délégué à la protection des données : Laure Besson")
    header = [c.value for c in summary[6]]
    assert header == ["N°", "Nom de l'activité", "Finalité principale", "Base légale", "Date de création",
                      "Mise à jour", "AIPD"]
    video = next(wb[name] for name in wb.sheetnames if "Vidéoprotection" in name)
    assert video["A3"].value == "Délégué à la protection des données" and "Laure Besson" in video["B3"].value
    headings = [row[0].value for row in video.iter_rows()]
    for expected in ("Description du traitement", "Délégué à la protection des données",
                     "Finalité(s) du traitement effectué", "Mesures de sécurité",
                     "Catégories de données personnelles concernées", "Catégories de personnes concernées",
                     "Destinataires", "Transferts des données hors UE", "Analyse d'impact (AIPD)"):
        assert expected in headings
    values = {row[0].value: row[1].value for row in video.iter_rows() if len(row) > 1}
    assert values["Base légale"] == "Mission d'intérêt public ou autorité publique (art. 6.1.e)"
    assert values["AIPD probablement requise"] == "Oui" and values["Statut de l'AIPD"] == "Réalisée"
    assert "Délai d'effacement : 1 mois" in values["Images de vidéoprotection"]
    assert "contrôle d'accès des utilisateurs" in values["Mesures de sécurité techniques et organisationnelles"]


def test_xlsx_escapes_formula_like_text(valmont):
    ProcessingActivity.objects.filter(workspace=valmont, slug="mediatheque").update(purposes="=HYPERLINK(1)")
    wb = load_workbook(io.BytesIO(render(build_record(valmont), "xlsx")))
    purposes = [row[2].value for row in wb["Registre"].iter_rows(min_row=7)]
    assert "'=HYPERLINK(1)" in purposes


def test_html_and_docx_carry_organization_dpo_and_activities(valmont):
    from docx import Document

    record = build_record(valmont)
    html = render(record, "html").decode()
    assert "Commune de Valmont" in html and "Laure Besson" in html and "Vidéoprotection de la voie publique" in html
    assert "Registre des activités de traitement" in html  # the workspace's language: French
    doc = Document(io.BytesIO(render(record, "docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Registre des activités de traitement" in text and "12. Vidéoprotection de la voie publique" in text


def test_html_follows_the_workspace_language_and_the_xlsx_stays_french(valmont):
    french = render(build_record(valmont), "html").decode()
    assert "Finalité principale" in french and "Base légale" in french
    valmont.language = "en"
    valmont.save()
    english = render(build_record(valmont), "html").decode()
    assert "Main purpose" in english and "Legal basis" in english and "Finalité principale" not in english
    sheet = load_workbook(io.BytesIO(render(build_record(valmont), "xlsx"))).worksheets[1]
    assert "Finalité principale" in [row[0] for row in sheet.iter_rows(values_only=True)]  # the CNIL model's own


def test_subject_request_lists_applications_flows_and_vendors(valmont):
    found = subject_map(valmont, "enfants")
    assert {c.slug for c in found.categories} == {"donnees-familles", "sante-enfants"}
    assert {"portail-famille", "logiciel-enfance", "google-drive-periscolaire"} <= {a.slug for a in found.applications}
    assert {"enfantia", "google"} <= {v.slug for v in found.vendors}
    assert "cantine-periscolaire" in {a.slug for a in found.activities}
    assert not subject_map(valmont, "martiens").categories
