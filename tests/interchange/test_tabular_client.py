"""A client's own spreadsheet: French headers and values, read with --map or a saved mapping file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mue.applications.models import Application
from mue.cli.app import ExitCode
from mue.cli.main import app
from mue.interchange.files import import_file
from mue.interchange.importer import import_document
from mue.interchange.problems import ImportFailed
from mue.interchange.tabular import load_mapping
from tests.fixtures.tabular.build import CLIENT_ROWS, build_client_xlsx
from tests.helpers import database_state

FIXTURES = Path(__file__).parents[1] / "fixtures" / "tabular"
CLIENT = FIXTURES / "Inventaire logiciels.xlsx"
MAPPING = FIXTURES / "inventaire-mapping.yaml"
MAP_OPTION = ("Nom du logiciel=name,Éditeur=vendor,Type=kind,Statut=status,Hébergement=hosting_country,"
              "Nb licences=seats,Double authentification=mfa,Modèle de licence=licence_model,"
              "Fin de support=end_of_support,Dépend de=depends_on,Commentaire=-")
runner = CliRunner()


def flat(output: str) -> str:
    """The command's output without the terminal's line wrapping."""
    return " ".join(output.split())


@pytest.fixture
def valmont(db):
    import_document({"workspace": {"slug": "valmont", "name": "Commune de Valmont"},
                     "parties": [{"slug": "editeur-x", "name": "Éditeur X", "country": "FR"},
                                 {"slug": "microsoft", "name": "Microsoft"},
                                 {"slug": "dropbox-inc", "name": "Dropbox"}]})
    return "valmont"


def check_client_applications(with_tags: bool) -> None:
    apps = {a.slug: a for a in Application.objects.filter(workspace__slug="valmont").select_related("vendor")}
    assert set(apps) == {"portail-famille", "logiciel-cantine", "microsoft-365", "dropbox", "libreoffice"}
    portail = apps["portail-famille"]
    assert (portail.vendor.slug, portail.kind, portail.status, portail.hosting_country, portail.seats, portail.mfa,
            portail.licence_model, portail.end_of_support) == (
        "editeur-x", "saas", "approved", "FR", 120, True, "subscription", dt.date(2027, 1, 1))
    cantine = apps["logiciel-cantine"]
    assert (cantine.vendor.slug, cantine.kind, cantine.status, cantine.seats, cantine.mfa, cantine.licence_model,
            cantine.end_of_support) == ("editeur-x", "on-premises", "tolerated", 35, False, "per-user",
                                        dt.date(2026, 12, 31))
    assert [d.slug for d in cantine.depends_on.all()] == ["portail-famille"]
    assert (apps["microsoft-365"].hosting_country, apps["microsoft-365"].licence_model) == ("IE", "subscription")
    dropbox = apps["dropbox"]
    assert (dropbox.vendor.slug, dropbox.status, dropbox.hosting_country, dropbox.licence_model) == (
        "dropbox-inc", "shadow", "US", "free")
    assert (apps["libreoffice"].vendor, apps["libreoffice"].licence_model) == (None, "open-source")
    assert (portail.tags == ["inventaire-2025"]) is with_tags


def test_client_spreadsheet_with_map_option(valmont):
    result = runner.invoke(app, ["import", str(CLIENT), "-w", valmont, "--type", "applications", "--map", MAP_OPTION])
    assert result.exit_code == 0, result.output
    assert "5 created" in result.output
    assert "row 4, 'Statut (status)': 'Approuvé' read as 'approved'" in flat(result.output)
    check_client_applications(with_tags=False)


def test_client_spreadsheet_with_mapping_file(valmont):
    report = import_file(CLIENT, workspace=valmont, mapping=load_mapping(MAPPING))
    assert report.created["applications"] == 5
    check_client_applications(with_tags=True)
    notes = "\n".join(report.notes)
    assert "header read on row 3" in notes
    assert "rows 4, 7, 'Type (kind)': 'SaaS' read as 'saas'" in notes
    assert "row 6, 'Hébergement (hosting_country)': 'Irlande' read as 'IE'" in notes
    assert "row 5, 'Dépend de (depends_on)': 'Portail Famille' read as 'portail-famille'" in notes
    assert "'tags' not given, default ['inventaire-2025'] used" in notes
    # the same spreadsheet again: nothing changes
    before = database_state()
    again = import_file(CLIENT, workspace=valmont, mapping=load_mapping(MAPPING))
    assert not again.changed
    assert database_state() == before


def test_cli_mapping_file_and_json_report(valmont):
    result = runner.invoke(app, ["import", str(CLIENT), "-w", valmont, "--mapping", str(MAPPING), "--json"])
    assert result.exit_code == 0, result.output
    [report] = json.loads(result.stdout)
    assert report["ok"] and report["created"] == {"applications": 5}
    assert any("'Oui' read as true" in note for note in report["notes"])


def test_without_mapping_french_headers_are_unknown_columns(valmont):
    result = runner.invoke(app, ["import", str(CLIENT), "-w", valmont, "--type", "applications"])
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "unknown column 'Nb licences'" in flat(result.output)
    assert not Application.objects.exists()


def test_ambiguous_and_unknown_values_are_reported_and_nothing_written(valmont, tmp_path):
    import_document({"parties": [{"slug": "microsoft-ireland", "name": "Microsoft"}]}, workspace=valmont)
    rows = [list(r) for r in CLIENT_ROWS]
    rows[0][2] = "Hybride"  # SaaS or installed?
    rows[3][4] = "Europe"  # not one country
    rows[4][7] = "Licence"  # per user or perpetual?
    path = build_client_xlsx(tmp_path / "Inventaire logiciels.xlsx", rows)
    before = database_state()
    with pytest.raises(ImportFailed) as caught:
        import_file(path, workspace=valmont, mapping=load_mapping(MAPPING))
    problems = {(p.location, p.field): p.message for p in caught.value.problems}
    assert "ambiguous" in problems[("row 4", "Type (kind)")]
    assert "saas" in problems[("row 4", "Type (kind)")] and "on-premises" in problems[("row 4", "Type (kind)")]
    assert "microsoft" in problems[("row 6", "Éditeur (vendor)")]
    assert "microsoft-ireland" in problems[("row 6", "Éditeur (vendor)")]
    assert "not one country" in problems[("row 7", "Hébergement (hosting_country)")]
    assert "per-user" in problems[("row 8", "Modèle de licence (licence_model)")]
    assert all(p.file == "Inventaire logiciels.xlsx" for p in caught.value.problems)
    assert database_state() == before


def test_mapping_values_and_bad_mapping_files(valmont, tmp_path):
    rows = [list(r) for r in CLIENT_ROWS]
    rows[1][3] = "À vérifier"  # the client's own word, mapped in the file's values
    path = build_client_xlsx(tmp_path / "inventaire.xlsx", rows)
    import_file(path, workspace=valmont, mapping=load_mapping(MAPPING))
    assert Application.objects.get(slug="logiciel-cantine").status == "tolerated"

    bad = tmp_path / "bad.yaml"
    bad.write_text("type: applications\ncolumns:\n  Nom du logiciel: nom\nextra: 1\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="unknown key"):
        load_mapping(bad)
    result = runner.invoke(app, ["import", str(path), "-w", valmont, "--mapping", str(bad)])
    assert result.exit_code == ExitCode.INVALID_INPUT
    bad.write_text("type: applications\ncolumns:\n  Nom du logiciel: nom\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        import_file(path, workspace=valmont, mapping=load_mapping(bad))
    assert any("mapped to unknown field 'nom'" in p.message for p in caught.value.problems)


def test_french_excel_csv_fixture(valmont):
    result = runner.invoke(app, ["import", str(FIXTURES / "applications-excel-fr.csv"), "-w", valmont,
                                 "--type", "application"])
    assert result.exit_code == 0, result.output
    output = flat(result.output)
    assert "3 created" in output and "read as Windows-1252 (cp1252)" in output
    assert "'1 200' read as 1200" in output
    parapheur = Application.objects.get(slug="parapheur-electronique")
    assert (parapheur.description, parapheur.end_of_support) == ("Signature; circuits de validation",
                                                                dt.date(2028, 6, 30))
    assert Application.objects.get(slug="portail-famille").seats == 1200
