"""CSV and XLSX import: the same pipeline as YAML, with rows, columns and typed cells."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mue.applications.models import Application
from mue.core.models import ChangeLogEntry
from mue.interchange.files import import_file
from mue.interchange.importer import import_document
from mue.interchange.problems import ImportFailed
from mue.interchange.tabular import read_table
from mue.services.models import Service
from tests.helpers import database_state

SEED = {
    "parties": [{"slug": "editeur-x", "name": "Éditeur X"}, {"slug": "microsoft", "name": "Microsoft"}],
    "people": [{"slug": "m-durand", "name": "Marie Durand"}],
    "units": [{"slug": "enfance", "name": "Enfance"}],
}


@pytest.fixture
def seeded(workspace):
    import_document(SEED, workspace=workspace.slug)
    return workspace


def write_csv(path, text: str, encoding: str = "utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path, rows: list[list], title: str = "Feuil1"):
    book = openpyxl.Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_filled_csv_imports(seeded, tmp_path):
    path = write_csv(tmp_path / "applications.csv",
                     "slug,name,kind,vendor,status,seats,mfa,end_of_support,depends_on,tags\n"
                     "portail,Portail Famille,saas,editeur-x,approved,120,yes,2027-01-01,,famille\n"
                     "cantine,Logiciel cantine,on-premises,Éditeur X,tolerated,35,no,,portail,\n")
    report = import_file(path, workspace=seeded.slug)
    assert report.created["applications"] == 2
    cantine = Application.objects.get(workspace=seeded, slug="cantine")
    assert (cantine.vendor.slug, cantine.seats, cantine.mfa, cantine.status) == ("editeur-x", 35, False, "tolerated")
    assert [a.slug for a in cantine.depends_on.all()] == ["portail"]
    portail = Application.objects.get(workspace=seeded, slug="portail")
    assert portail.end_of_support == dt.date(2027, 1, 1) and portail.tags == ["famille"]
    assert any("'Éditeur X' read as 'editeur-x'" in note for note in report.notes)
    assert ChangeLogEntry.objects.filter(object_type="application", action="create").count() == 2


def test_filled_xlsx_with_typed_cells_imports(seeded, tmp_path):
    path = write_xlsx(tmp_path / "services.xlsx", [
        ["slug", "name", "criticality", "needs.availability", "rto_hours", "business_owner", "units", "lifecycle"],
        ["cantine", "Cantine", 3, "élevé", 24.0, "Marie Durand", "enfance", "run"],
        ["etat-civil", "État civil", "4", 4, None, "m-durand", None, None],
    ], title="services")
    report = import_file(path, workspace=seeded.slug)
    assert report.created["services"] == 2
    cantine = Service.objects.get(workspace=seeded, slug="cantine")
    assert (cantine.criticality, cantine.need_availability, cantine.rto_hours) == (3, 3, 24)
    assert cantine.business_owner.slug == "m-durand"
    assert [u.slug for u in cantine.units.all()] == ["enfance"]
    assert Service.objects.get(workspace=seeded, slug="etat-civil").criticality == 4


def test_wrong_cell_types_name_file_row_and_field_and_write_nothing(seeded, tmp_path):
    import_file(write_csv(tmp_path / "applications.csv", "slug,name,kind\nold,Old,saas\n"), workspace=seeded.slug)
    before = database_state()
    apps = write_xlsx(tmp_path / "Logiciels.xlsx", [
        ["Inventaire 2025"],
        [],
        ["slug", "name", "kind", "Nombre de postes"],
        ["a", "A", "saas", 10],
        ["b", "B", "saas", "abc"],
        ["old", "Old renamed", "saas", 3],
    ])
    with pytest.raises(ImportFailed) as caught:
        import_file(apps, workspace=seeded.slug, object_type="applications",
                    mapping={"columns": {"Nombre de postes": "seats"}})
    [problem] = caught.value.problems
    assert problem.file == "Logiciels.xlsx"
    assert problem.location == "row 5"
    assert problem.field == "Nombre de postes (seats)"
    assert "'abc' is not a number" in problem.message
    assert "Logiciels.xlsx, row 5, field 'Nombre de postes (seats)'" in str(problem)

    services = write_xlsx(tmp_path / "services.xlsx", [
        ["slug", "name", "criticality"],
        ["cantine", "Cantine", dt.datetime(2024, 3, 1)],
    ])
    with pytest.raises(ImportFailed) as caught:
        import_file(services, workspace=seeded.slug)
    [problem] = caught.value.problems
    assert (problem.file, problem.location, problem.field) == ("services.xlsx", "row 2", "criticality")
    assert "a date (2024-03-01)" in problem.message
    assert database_state() == before


def test_importer_problems_are_located_by_row_and_column_header(seeded, tmp_path):
    path = write_csv(tmp_path / "apps.csv", "Nom;Éditeur;kind\nA;editeur-x;saas\nB;inconnu;saas\n")
    with pytest.raises(ImportFailed) as caught:
        import_file(path, workspace=seeded.slug, object_type="applications",
                    mapping={"columns": {"Nom": "name", "Éditeur": "vendor"}})
    [problem] = caught.value.problems
    assert (problem.location, problem.field) == ("row 3", "Éditeur (vendor)")
    assert "unknown external party 'inconnu'" in problem.message


def test_unknown_column_is_a_problem_unless_ignored(seeded, tmp_path):
    path = write_csv(tmp_path / "applications.csv", "name,kind,Couleur préférée\nA,saas,bleu\n")
    with pytest.raises(ImportFailed) as caught:
        import_file(path, workspace=seeded.slug)
    [problem] = caught.value.problems
    assert problem.field == "Couleur préférée" and problem.location == "row 1"
    assert "unknown column" in problem.message and '--map "Couleur préférée=FIELD"' in problem.message
    assert not Application.objects.exists()
    report = import_file(path, workspace=seeded.slug, mapping={"columns": {"Couleur préférée": "-"}})
    assert report.created["applications"] == 1


def test_headers_by_english_label_any_case_and_accents(seeded, tmp_path):
    path = write_csv(tmp_path / "applications.csv",
                     "NAME,Kind,Hosting Country,Multi-factor authentication,END OF SUPPORT\n"
                     "Portail,SaaS,france,oui,01/02/2027\n")
    import_file(path, workspace=seeded.slug)
    portail = Application.objects.get(workspace=seeded, slug="portail")
    assert (portail.kind, portail.hosting_country, portail.mfa) == ("saas", "FR", True)
    assert portail.end_of_support == dt.date(2027, 2, 1)


def test_semicolon_and_cp1252_csv(seeded, tmp_path):
    path = write_csv(tmp_path / "liste.csv",
                     "name;kind;seats;description\r\nGestion financière;Installé;1 200;Comptabilité; budget\r\n"
                     .replace("Comptabilité; budget", '"Comptabilité; budget"'), encoding="cp1252")
    report = import_file(path, workspace=seeded.slug, object_type="applications")
    item = Application.objects.get(workspace=seeded, slug="gestion-financiere")
    assert (item.name, item.kind, item.seats, item.description) == (
        "Gestion financière", "on-premises", 1200, "Comptabilité; budget")
    assert any("Windows-1252" in note for note in report.notes)
    assert any("no slug given, made from the name" in note for note in report.notes)


def test_tab_separated_and_bom(seeded, tmp_path):
    path = write_csv(tmp_path / "units.tsv", "\ufeffslug\tname\tparent\nenfance\tEnfance\t\ndgs\tDGS\t-\n")
    report = import_file(path, workspace=seeded.slug)
    assert report.created["units"] == 1 and report.unchanged["units"] == 1


def test_reimporting_the_same_csv_changes_nothing(seeded, tmp_path):
    path = write_csv(tmp_path / "applications.csv",
                     "name;kind;vendor;status;seats;mfa;depends_on\n"
                     "Portail Famille;SaaS;Éditeur X;Approuvé;1 200;Oui;\n"
                     "Logiciel cantine;installé;Microsoft;toléré;35;non;Portail Famille\n")
    first = import_file(path, workspace=seeded.slug)
    assert first.created["applications"] == 2
    before = database_state()
    second = import_file(path, workspace=seeded.slug)
    assert not second.changed and second.unchanged["applications"] == 2
    assert database_state() == before
    assert any("existing applications of the same name" in note for note in second.notes)


def test_empty_cell_keeps_and_dash_clears(seeded, tmp_path):
    import_file(write_csv(tmp_path / "applications.csv", "slug,name,kind,seats,vendor\na,A,saas,10,editeur-x\n"),
                workspace=seeded.slug)
    import_file(write_csv(tmp_path / "applications.csv", "slug,name,kind,seats,vendor\na,A,,,-\n"),
                workspace=seeded.slug)
    item = Application.objects.get(workspace=seeded, slug="a")
    assert (item.kind, item.seats, item.vendor) == ("saas", 10, None)
    import_file(write_csv(tmp_path / "applications.csv", "slug,name,seats\na,A,null\n"), workspace=seeded.slug)
    assert Application.objects.get(workspace=seeded, slug="a").seats is None


def test_every_problem_of_a_sheet_at_once(seeded, tmp_path):
    path = write_csv(tmp_path / "applications.csv",
                     "slug,name,kind,status,seats\na,A,hybride,approved,1\nb,B,saas,plutôt bien,x\nc,,saas,,\n")
    with pytest.raises(ImportFailed) as caught:
        import_file(path, workspace=seeded.slug)
    found = {(p.location, p.field) for p in caught.value.problems}
    assert {("row 2", "kind"), ("row 3", "status"), ("row 3", "seats")} <= found
    assert any(p.location == "row 4" for p in caught.value.problems)  # c has no name
    ambiguous = next(p for p in caught.value.problems if p.field == "kind")
    assert "ambiguous" in ambiguous.message and "saas" in ambiguous.message and "on-premises" in ambiguous.message


def test_type_problems(seeded, tmp_path):
    path = write_csv(tmp_path / "liste.csv", "name\nA\n")
    with pytest.raises(ImportFailed, match="--type"):
        import_file(path, workspace=seeded.slug)
    with pytest.raises(ImportFailed, match="unknown object type 'gadgets'"):
        import_file(path, workspace=seeded.slug, object_type="gadgets")
    with pytest.raises(ImportFailed, match="needs a workspace"):
        import_file(path, object_type="applications")
    empty = write_csv(tmp_path / "applications.csv", "\n\n")
    with pytest.raises(ImportFailed, match="no header row"):
        import_file(empty, workspace=seeded.slug)
    broken = tmp_path / "applications.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ImportFailed, match="not a readable XLSX"):
        import_file(broken, workspace=seeded.slug)


def test_headerless_values_and_duplicate_columns(seeded, tmp_path):
    path = write_xlsx(tmp_path / "applications.xlsx", [["name", "Nom", None], ["A", "A", "stray"]])
    with pytest.raises(ImportFailed) as caught:
        import_file(path, workspace=seeded.slug)
    messages = " | ".join(p.message for p in caught.value.problems)
    assert "both give 'name'" in messages and "column 3 has values (row 2) but no header" in messages


def test_flows_by_endpoint_names(seeded, tmp_path):
    import_file(write_csv(tmp_path / "applications.csv", "name,kind\nPortail Famille,saas\n"), workspace=seeded.slug)
    path = write_csv(tmp_path / "flows.csv", "from,to,protocol,encrypted\nEnfance,Portail Famille,HTTPS,oui\n")
    report = import_file(path, workspace=seeded.slug)
    assert report.created["flows"] == 1
    from mue.dataflows.models import DataFlow

    flow = DataFlow.objects.get(workspace=seeded)
    assert flow.source_unit.slug == "enfance" and flow.target_application.slug == "portail-famille"
    assert flow.encrypted is True


def _sheet(tmp_path, count: int):
    lines = ["name;kind;vendor;status;mfa;seats"]
    lines += [f"Logiciel {i};SaaS;Éditeur X;Approuvé;oui;{i}" for i in range(count)]
    return write_csv(tmp_path / f"applications-{count}.csv", "\n".join(lines) + "\n")


def test_query_count_is_constant_in_rows(seeded, tmp_path):
    counts = []
    for size in (3, 40):
        with CaptureQueriesContext(connection) as reading:
            read_table(_sheet(tmp_path, size), "csv", object_type="applications", workspace=seeded.slug)
        with CaptureQueriesContext(connection) as importing:
            import_file(_sheet(tmp_path, size), workspace=seeded.slug, object_type="applications")
        counts.append((len(reading), len(importing)))
        Application.objects.filter(workspace=seeded).delete()
    assert counts[0][0] == counts[1][0]
    assert counts[0][1] == counts[1][1]
