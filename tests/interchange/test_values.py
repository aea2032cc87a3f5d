"""Values as users write them: licences, countries, encodings, formula cells, and what the report says of them."""

from __future__ import annotations

import io
import zipfile

import pytest

from mue.applications.models import Application
from mue.infrastructure.models import Site
from mue.interchange.files import import_file
from mue.interchange.importer import import_document
from mue.interchange.problems import ImportFailed
from mue.vendors.models import ExternalParty
from tests.helpers import database_state
from tests.interchange.test_tabular import write_xlsx as write_sheet


def write_xlsx(path, rows: list[list]):
    return write_sheet(path, rows, title="applications")


# -- licences ------------------------------------------------------------------------------------------

WRITTEN = [
    ("GPL-2.0-only", "GPL-2.0-only"), ("GPLv3", "GPL-3.0-only"), ("GPL v3+", "GPL-3.0-or-later"),
    ("Apache-2.0", "Apache-2.0"), ("Apache License, Version 2.0", "Apache-2.0"), ("EPL-2.0", "EPL-2.0"),
    ("AGPL-3.0-or-later", "AGPL-3.0-or-later"), ("AGPL 3 ou ultérieure", "AGPL-3.0-or-later"),
    ("MPL-2.0", "MPL-2.0"), ("BSD-3-Clause", "BSD-3-Clause"), ("BSD 3 clauses", "BSD-3-Clause"),
    ("CECILL-2.1", "CECILL-2.1"), ("CeCILL v2.1", "CECILL-2.1"), ("EUPL-1.2", "EUPL-1.2"),
    ("LGPL-2.1", "LGPL-2.1-only"), ("LGPLv2.1+", "LGPL-2.1-or-later"), ("LGPL-3.0-or-later", "LGPL-3.0-or-later"),
    ("Licence Ouverte / Etalab", "etalab-2.0"), ("Licence ouverte 2.0", "etalab-2.0"),
    ("MIT OR Apache-2.0", "MIT OR Apache-2.0"), ("mit", "MIT"),
]


def test_licence_column_reads_spdx_identifiers_and_their_variants(workspace, tmp_path):
    rows = [["slug", "name", "kind", "licence"]]
    rows += [[f"app-{n}", f"App {n}", "on-premises", written] for n, (written, _spdx) in enumerate(WRITTEN)]
    report = import_file(write_xlsx(tmp_path / "applications.xlsx", rows), workspace=workspace.slug)
    stored = dict(Application.objects.filter(workspace=workspace).values_list("slug", "licence"))
    assert stored == {f"app-{n}": spdx for n, (_written, spdx) in enumerate(WRITTEN)}
    assert any("'GPLv3' read as 'GPL-3.0-only'" in note for note in report.notes)
    assert all(a.licence_openness == "open" for a in Application.objects.filter(workspace=workspace))


def test_a_licence_in_the_licence_model_column_gives_both(workspace, tmp_path):
    path = tmp_path / "applications.csv"
    path.write_text("slug,name,kind,licence_model\n"
                    "a,A,on-premises,GPL-3.0-or-later\n"
                    "b,B,on-premises,Abonnement\n"
                    "c,C,on-premises,BUSL-1.1\n"
                    "d,D,on-premises,LGPL\n")
    report = import_file(path, workspace=workspace.slug)
    apps = {a.slug: a for a in Application.objects.filter(workspace=workspace)}
    assert (apps["a"].licence_model, apps["a"].licence, apps["a"].licence_openness) == (
        "open-source", "GPL-3.0-or-later", "open")
    assert (apps["b"].licence_model, apps["b"].licence) == ("subscription", "")
    assert (apps["c"].licence_model, apps["c"].licence, apps["c"].licence_openness) == ("", "BUSL-1.1", "proprietary")
    assert (apps["d"].licence_model, apps["d"].licence) == ("open-source", "")  # a family: open, version unknown
    assert any("licence 'BUSL-1.1' (not an open-source licence)" in note for note in report.notes)


def test_unknown_licence_and_family_without_version_are_problems(workspace, tmp_path):
    path = tmp_path / "applications.csv"
    path.write_text("slug,name,kind,licence\na,A,saas,Licence maison\nb,B,saas,GPL\n")
    with pytest.raises(ImportFailed) as caught:
        import_file(path, workspace=workspace.slug)
    messages = {p.location: p.message for p in caught.value.problems}
    assert "is not a licence of the SPDX list" in messages["row 2"] and "LicenseRef-NAME" in messages["row 2"]
    assert "names a licence family" in messages["row 3"]
    assert not Application.objects.exists()


def test_map_files_read_licences_the_same_way(db):
    report = import_document({"workspace": {"slug": "w", "name": "W"}, "applications": [
        {"slug": "a", "name": "A", "kind": "saas", "licence": "GPLv3"},
        {"slug": "b", "name": "B", "kind": "saas", "licence_model": "EUPL v1.2"},
        {"slug": "c", "name": "C", "kind": "saas", "licence": "LicenseRef-Editeur"},
    ]})
    apps = {a.slug: a for a in Application.objects.all()}
    assert apps["a"].licence == "GPL-3.0-only"
    assert (apps["b"].licence_model, apps["b"].licence) == ("open-source", "EUPL-1.2")
    assert (apps["c"].licence, apps["c"].licence_openness) == ("LicenseRef-Editeur", "")
    assert any("'GPLv3' read as 'GPL-3.0-only'" in note and "application 'a'" in note for note in report.notes)
    with pytest.raises(ImportFailed, match="not a licence of the SPDX list"):
        import_document({"workspace": {"slug": "w"}, "applications": [{"slug": "a", "licence": "n'importe quoi"}]})


def test_the_form_stores_the_spdx_form(workspace):
    from django.core.exceptions import ValidationError

    app = Application(workspace=workspace, slug="x", name="X", kind="saas", licence="gpl v2 or later")
    app.full_clean()
    assert app.licence == "GPL-2.0-or-later"
    app.licence = "Propriétaire"
    with pytest.raises(ValidationError):
        app.full_clean()


# -- countries -----------------------------------------------------------------------------------------


def test_map_files_read_country_names_as_spreadsheets_do(db):
    document = {"workspace": {"slug": "w", "name": "W", "country": "France"},
                "parties": [{"slug": "us-co", "name": "US Co", "country": "États-Unis"},
                            {"slug": "usa-co", "name": "USA Co", "country": "USA"},
                            {"slug": "de-co", "name": "DE Co", "country": "Allemagne"},
                            {"slug": "uk-co", "name": "UK Co", "country": "Royaume-Uni"},
                            {"slug": "kr-co", "name": "KR Co", "country": "Corée du Sud"},
                            {"slug": "pe-co", "name": "PE Co", "country": "Pérou"}],  # any ISO 3166 country
                "sites": [{"slug": "s", "name": "S", "country": "DEU"}],
                "applications": [{"slug": "a", "name": "A", "kind": "saas", "hosting_country": "Irlande"}]}
    report = import_document(document)
    assert dict(ExternalParty.objects.values_list("slug", "country")) == {
        "us-co": "US", "usa-co": "US", "de-co": "DE", "uk-co": "GB", "kr-co": "KR", "pe-co": "PE"}
    assert Site.objects.get().country == "DE"
    assert Application.objects.get().hosting_country == "IE"
    assert any("'États-Unis' read as 'US'" in note for note in report.notes)


def test_a_country_that_is_not_one_is_a_problem_not_too_long(db):
    with pytest.raises(ImportFailed) as caught:
        import_document({"workspace": {"slug": "w", "name": "W"},
                         "parties": [{"slug": "a", "name": "A", "country": "Europe"},
                                     {"slug": "b", "name": "B", "country": "Congo"}]})
    messages = [p.message for p in caught.value.problems]
    assert any("'Europe' is not one country" in m for m in messages)
    assert any("'Congo' may mean CD or CG" in m for m in messages)
    assert not any("too long" in m for m in messages)


# -- encodings and formula cells -----------------------------------------------------------------------


def test_utf16_csv_as_excel_writes_unicode_text(workspace, tmp_path):
    path = tmp_path / "applications.txt"
    path.write_bytes("slug\tname\tkind\nétat-civil\tÉtat civil\tsaas\n".replace("\n", "\r\n").encode("utf-16"))
    assert path.read_bytes()[:2] == b"\xff\xfe"
    report = import_file(path, workspace=workspace.slug, object_type="applications")
    assert Application.objects.get().name == "État civil"
    assert any("read as UTF-16" in note for note in report.notes)


def test_utf16_without_bom_and_utf8_bom(workspace, tmp_path):
    path = tmp_path / "applications.csv"
    path.write_bytes("slug;name;kind\na;Crèche;saas\n".encode("utf-16-be"))
    import_file(path, workspace=workspace.slug)
    path.write_bytes("\ufeffslug;name;kind\nb;Cantine;saas\n".encode("utf-8"))
    import_file(path, workspace=workspace.slug)
    assert dict(Application.objects.values_list("slug", "name")) == {"a": "Crèche", "b": "Cantine"}


def test_windows_1252_csv(workspace, tmp_path):
    path = tmp_path / "applications.csv"
    path.write_bytes("slug;name;kind\na;Élections – « bureau »;saas\n".encode("cp1252"))
    report = import_file(path, workspace=workspace.slug)
    assert Application.objects.get().name == "Élections – « bureau »"
    assert any("Windows-1252" in note for note in report.notes)


def test_formula_without_cached_value_is_a_problem_never_dropped(workspace, tmp_path):
    path = write_xlsx(tmp_path / "applications.xlsx", [
        ["slug", "name", "kind", "seats"],
        ["a", "A", "saas", "=10*2"],  # openpyxl writes a formula with no result, as scripts do
        ["b", "B", "saas", 5],
    ])
    before = database_state()
    with pytest.raises(ImportFailed) as caught:
        import_file(path, workspace=workspace.slug)
    [problem] = caught.value.problems
    assert (problem.location, problem.field) == ("row 2", "seats")
    assert "formula (=10*2)" in problem.message and "save it" in problem.message
    assert database_state() == before


def test_formula_with_cached_value_gives_the_value(workspace, tmp_path):
    path = write_xlsx(tmp_path / "applications.xlsx", [["slug", "name", "kind", "seats"], ["a", "A", "saas", 1]])
    # What a spreadsheet program saves: the formula and its last result.
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert b'<c r="D2" t="n"><v>1</v></c>' in parts[sheet]
    parts[sheet] = parts[sheet].replace(b'<c r="D2" t="n"><v>1</v></c>', b'<c r="D2"><f>10*2</f><v>20</v></c>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    path.write_bytes(out.getvalue())
    import_file(path, workspace=workspace.slug)
    assert Application.objects.get().seats == 20


def test_error_cell_is_a_problem(workspace, tmp_path):
    path = write_xlsx(tmp_path / "applications.xlsx", [["slug", "name", "kind", "seats"], ["a", "A", "saas", 1]])
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b'<c r="D2" t="n"><v>1</v></c>',
                                        b'<c r="D2" t="e"><f>VLOOKUP(A2,X:Y,2)</f><v>#N/A</v></c>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    path.write_bytes(out.getvalue())
    with pytest.raises(ImportFailed, match="shows the error #N/A"):
        import_file(path, workspace=workspace.slug)


# -- what the report says ------------------------------------------------------------------------------


def test_too_long_says_the_limit(workspace, tmp_path):
    path = tmp_path / "applications.csv"
    path.write_text("slug,name,kind,version\na,A,saas," + "9" * 73 + "\n")
    with pytest.raises(ImportFailed) as caught:
        import_file(path, workspace=workspace.slug)
    [problem] = caught.value.problems
    assert "at most 50 characters, got 73" in problem.message and problem.location == "row 2"


def test_duplicate_is_reported_with_the_rows_the_user_sees(workspace, tmp_path):
    path = tmp_path / "applications.csv"
    path.write_text("slug,name,kind\na,A,saas\nb,B,saas\na,A bis,saas\n")
    with pytest.raises(ImportFailed) as caught:
        import_file(path, workspace=workspace.slug)
    [problem] = caught.value.problems
    assert problem.location == "row 4"
    assert problem.message.startswith("same identity 'a' as row 2")


def test_duplicate_in_a_yaml_file_names_the_line(db, tmp_path):
    path = tmp_path / "map.yaml"
    path.write_text("workspace: {slug: w, name: W}\nunits:\n  - {slug: a, name: A}\n  - {slug: a, name: B}\n")
    with pytest.raises(ImportFailed, match=r"already used at line 3"):
        import_file(path)


def test_defaults_taken_for_empty_cells_are_noted(workspace, tmp_path):
    import_document({"applications": [{"slug": "old", "name": "Old", "kind": "saas", "status": "shadow"}]},
                    workspace=workspace.slug)
    path = tmp_path / "applications.csv"
    path.write_text("slug,name,kind,status\nold,Old,saas,\na,A,saas,\nb,B,saas,tolerated\nc,C,saas,\n")
    report = import_file(path, workspace=workspace.slug)
    assert "rows 3, 5: 'status' empty, the default 'approved' is used (new applications)" in report.notes
    assert Application.objects.get(slug="old").status == "shadow"  # an update keeps the stored value


def test_tags_spelled_two_ways_are_proposed_for_merging(workspace, tmp_path):
    import_document({"applications": [{"slug": "old", "name": "Old", "kind": "saas", "tags": ["Ressources humaines"]}]},
                    workspace=workspace.slug)
    path = tmp_path / "applications.csv"
    path.write_text("slug,name,kind,tags\n"
                    "a,A,saas,ressources-humaines;R&D\n"
                    "b,B,saas,Ressources Humaines;R et D\n"
                    "c,C,saas,Recherche and développement;recherche & developpement;finances\n")
    report = import_file(path, workspace=workspace.slug)
    proposals = [note for note in report.notes if note.startswith("tags ")]
    assert len(proposals) == 3
    assert any("'Ressources humaines' (1)" in p and "'ressources-humaines' (1)" in p
               and "'Ressources Humaines' (1)" in p for p in proposals)
    assert any("'R&D' (1)" in p and "'R et D' (1)" in p for p in proposals)
    assert any("'Recherche and développement'" in p and "'recherche & developpement'" in p for p in proposals)
    assert not any("finances" in p for p in proposals)


def test_a_nul_character_is_refused_where_it_is(workspace):
    """PostgreSQL cannot store a NUL character in text: the importer refuses it on every backend."""
    with pytest.raises(ImportFailed) as caught:
        import_document({"applications": [{"slug": "a", "name": "A\x00B", "kind": "saas"}]},
                        workspace=workspace.slug)
    [problem] = caught.value.problems
    assert problem.field == "name" and "NUL character" in problem.message
    assert not Application.objects.filter(slug="a").exists()
