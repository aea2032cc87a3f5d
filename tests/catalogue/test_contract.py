"""The service contract of a unit: its content, DOCX and HTML forms, recorded versions, the command."""

from __future__ import annotations

import copy
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from typer.testing import CliRunner

from mue.catalogue.content import build_content
from mue.catalogue.contracts import ContractError, draft, find_unit, record_version, stored_file
from mue.catalogue.models import ServiceContract
from mue.cli.main import app
from mue.organization.models import Unit
from tests.catalogue.conftest import COMMUNE, load

pytestmark = pytest.mark.django_db


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_content_lists_the_live_services_of_the_unit_with_levels_costs_and_breaches(commune):
    import datetime as dt

    enfance = Unit.objects.get(workspace=commune, slug="enfance")
    c = build_content(commune, enfance, "en", today=dt.date(2026, 6, 1))
    assert [s.slug for s in c.services] == ["cantine", "enquetes", "etat-civil"]  # not the retired one
    cantine = c.services[0]
    assert cantine.agreed and cantine.availability == "99.9 %" and cantine.rto == "24 h"
    assert [t.priority for t in cantine.targets] == ["P1 — critical", "P2 — high"]
    assert ("IT contact", "Ana IT <ana@bourg.example>") in cantine.contacts
    assert {b.check for b in cantine.breaches} == {"provider-availability", "provider-rto", "support-hours"}
    # 2026's lines only: the canteen's own line, the civil register's line on its application only.
    assert cantine.cost == 1200 and c.services[2].cost == 900
    assert c.cost_year == 2026 and "split equally" in c.cost_note and "percentages" in c.cost_note


def test_docx_opens_and_says_what_the_contract_says(commune):
    enfance = find_unit(commune, "enfance")
    text = docx_text(draft(commune, enfance, "en", "docx"))
    for expected in ("SERVICE CONTRACT", "Enfance", "Cantine", "99.9 %", "Levels that cannot be kept yet",
                     "Contrat éditeur", "Responsibilities", "Sign-off", "draft"):
        assert expected in text, expected


def test_html_is_one_page_in_the_chosen_language(commune, compiled):
    html = draft(commune, find_unit(commune, "enfance"), "fr", "html").decode()
    assert '<html lang="fr">' in html and "Cantine" in html and "<script" not in html
    assert "Contrat de service" in html


def test_recording_keeps_versions_and_their_file(commune):
    enfance = find_unit(commune, "enfance")
    first = record_version(commune, enfance, "en")
    second = record_version(commune, enfance, "fr")
    assert (first.version, second.version) == (1, 2) and second.slug == "enfance-v2"
    assert "version 1" in docx_text(stored_file(first))
    assert first.review_date is not None
    assert ServiceContract.objects.filter(workspace=commune, unit=enfance).count() == 2


def test_unknown_unit_and_language_are_clear_errors(commune):
    with pytest.raises(ContractError, match="no unit 'nope'"):
        find_unit(commune, "nope")
    with pytest.raises(ContractError, match="fr or en"):
        draft(commune, find_unit(commune, "enfance"), "de", "docx")


def test_content_costs_a_constant_number_of_queries(commune):
    enfance = find_unit(commune, "enfance")
    with CaptureQueriesContext(connection) as small:
        build_content(commune, enfance, "en")
    doc = copy.deepcopy(COMMUNE)
    doc["workspace"] = {"slug": "grand", "name": "Grand"}
    for i in range(12):
        doc["services"].append({"slug": f"s{i}", "name": f"S{i}", "units": ["enfance"], "applications": ["portail"]})
        doc["service_levels"].append({"slug": f"l{i}", "name": f"L{i}", "service": f"s{i}",
                                      "availability_target": 99})
        doc["service_level_targets"].append({"slug": f"t{i}", "name": f"T{i}", "agreement": f"l{i}",
                                             "priority": "P1"})
    grand = load(doc)
    unit = find_unit(grand, "enfance")
    with CaptureQueriesContext(connection) as large:
        assert len(build_content(grand, unit, "en").services) == 15
    assert len(large.captured_queries) == len(small.captured_queries)


def test_command_writes_the_draft_and_records_a_version(commune, tmp_path):
    runner = CliRunner()
    out = tmp_path / "enfance.docx"
    result = runner.invoke(app, ["service-contract", "-w", "bourg", "--unit", "enfance", "-o", str(out),
                                 "-l", "en"])
    assert result.exit_code == 0, result.output
    assert "Cantine" in docx_text(out.read_bytes())
    assert not ServiceContract.objects.exists()
    result = runner.invoke(app, ["service-contract", "-w", "bourg", "--unit", "enfance", "-o", str(out), "--record"])
    assert result.exit_code == 0, result.output
    assert ServiceContract.objects.get().version == 1
    html = tmp_path / "c.html"
    assert runner.invoke(app, ["service-contract", "-w", "bourg", "-u", "enfance", "-f", "html", "-o",
                               str(html)]).exit_code == 0
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("args, code, message", [
    (["--unit", "nope"], 4, "no unit 'nope'"),
    (["--unit", "enfance", "-f", "pdf"], 2, "unknown format"),
    (["--unit", "enfance", "-l", "de"], 2, "fr or en"),
    (["--unit", "enfance", "-f", "html", "--record"], 2, "--record"),
    (["--unit", "enfance", "--template", "/nonexistent.docx"], 4, "not found"),
])
def test_command_refuses_bad_input_with_one_line(commune, tmp_path, args, code, message):
    result = CliRunner().invoke(app, ["service-contract", "-w", "bourg", "-o", str(tmp_path / "x"), *args])
    assert result.exit_code == code and message in result.output
    assert not (tmp_path / "x").exists()


def test_a_template_that_is_not_a_docx_is_refused(commune, tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_text("not a word file")
    result = CliRunner().invoke(app, ["service-contract", "-w", "bourg", "-u", "enfance", "-o",
                                      str(tmp_path / "x.docx"), "--template", str(bad)])
    assert result.exit_code == 3 and "not a Word document" in result.output


def test_a_shared_cost_line_reaches_the_contract_by_its_key(commune):
    """The contract's costs are the costs page's: a line shared by percentages gives each service its part."""
    from mue.interchange.importer import import_document

    import_document({"costs": [{"slug": "cout-infogerance", "name": "Infogérance", "amount": 1000, "year": 2026,
                                "kind": "support", "sharing": "percentages"}],
                     "cost_shares": [{"slug": "part-cantine", "name": "Part cantine", "cost": "cout-infogerance",
                                      "service": "cantine", "percent": 30},
                                     {"slug": "part-police", "name": "Part police", "cost": "cout-infogerance",
                                      "service": "police", "percent": 70}]}, workspace=commune.slug)
    c = build_content(commune, Unit.objects.get(workspace=commune, slug="enfance"), "fr")
    cantine = next(s for s in c.services if s.slug == "cantine")
    assert cantine.cost == 1200 + 300
