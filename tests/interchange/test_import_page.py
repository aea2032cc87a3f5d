"""The import page (issue #11.1): upload, columns and values matched in a form, preview, all-or-nothing import,
saved mappings; and the identity settings of a mapping (#14.3) through the same form."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mue.applications.models import Application
from mue.core.models import ChangeLogEntry, Workspace
from mue.interchange.models import ImportUpload, SavedMapping
from tests.interchange.conftest import _member

pytestmark = pytest.mark.django_db


def _export(client, renamed: dict[str, str], edits: dict[str, dict[str, str]]) -> bytes:
    """The Valmont applications exported as XLSX by the list page, with columns renamed and cells edited."""
    response = client.get("/w/valmont/applications/export.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        slug = row[header.index("slug")].value
        for column, value in edits.get(slug, {}).items():
            row[header.index(column)].value = value
    for cell in sheet[1]:
        cell.value = renamed.get(cell.value, cell.value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, name: str, data: bytes):
    response = client.post("/w/valmont/import/", {"file": _named(name, data)})
    assert response.status_code == 302, response.content[:500]
    return ImportUpload.objects.latest("id")


def _named(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def _form_data(client, upload) -> dict[str, str]:
    """What the browser would send back: every field of the page's form as it is shown."""
    html = client.get(f"/w/valmont/import/{upload.pk}/").content.decode()
    data: dict[str, str] = {}
    for name, value in re.findall(r'<input(?![^>]*checkbox)[^>]*name="(s\d+-[^"]+)"[^>]*value="([^"]*)"', html):
        data[name] = value
    for select in re.findall(r'<select[^>]*name="(s\d+-[^"]+)"[^>]*>(.*?)</select>', html, re.S):
        name, options = select
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        first = re.search(r'<option value="([^"]*)"', options)
        data[name] = chosen.group(1) if chosen else (first.group(1) if first else "")
    for name in re.findall(r'<input[^>]*type="checkbox"[^>]*name="(s\d+-include)"[^>]*checked', html):
        data[name] = "1"
    for name, text in re.findall(r'<textarea[^>]*name="(s\d+-[^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = text
    return data


def _column(html: str, header: str, prefix: str = "s0") -> int:
    found = re.search(rf'<th scope="row">{re.escape(header)}</th>.*?name="{prefix}-col-(\d+)"', html, re.S)
    return int(found.group(1))


def test_valmont_export_with_a_renamed_column_fixed_in_the_form_previewed_imported_then_unchanged(owner, valmont):
    data = _export(owner, {"status": "Statut SI"}, {"portail-famille": {"status": "R"}, "zoom": {"seats": "beaucoup"}})
    upload = _upload(owner, "applications.xlsx", data)
    page = owner.get(f"/w/valmont/import/{upload.pk}/").content.decode()
    assert "not recognised: choose a field" in page  # the renamed column
    before = ChangeLogEntry.objects.count()

    fields = _form_data(owner, upload)
    owner.post(f"/w/valmont/import/{upload.pk}/", {**fields, "action": "preview"})
    upload.refresh_from_db()
    assert not upload.result["ok"]
    problems = {(p["location"], p["field"]): p["message"] for p in upload.result["problems"]}
    assert any("unknown column 'Statut SI'" in m for m in problems.values())
    assert "'beaucoup' is not a number" in problems[(_row_of(valmont, data, "zoom"), "seats")]

    # Fix the matching in the form: the column is the status, "R" means approved, the seats cell is left out.
    page = owner.get(f"/w/valmont/import/{upload.pk}/").content.decode()
    fields = _form_data(owner, upload)
    fields[f"s0-col-{_column(page, 'Statut SI')}"] = "status"
    fields[f"s0-col-{_column(page, 'seats')}"] = "-"
    owner.post(f"/w/valmont/import/{upload.pk}/", {**fields, "action": "preview"})
    upload.refresh_from_db()
    assert not upload.result["ok"]
    [r_problem] = [p for p in upload.result["problems"] if "'R'" in p["message"]]
    assert r_problem["field"] == "Statut SI (status)"
    page = owner.get(f"/w/valmont/import/{upload.pk}/").content.decode()
    position = _column(page, "Statut SI")
    n = re.search(rf'<code>R</code></th>\s*<td><label[^>]*for="s0-val-{position}-(\d+)"', page).group(1)
    fields = _form_data(owner, upload)
    fields[f"s0-val-{position}-{n}"] = "approved"
    owner.post(f"/w/valmont/import/{upload.pk}/", {**fields, "action": "preview"})
    upload.refresh_from_db()
    assert upload.result["ok"] and upload.result["preview"], upload.result
    assert upload.result["updated"] == 0 and upload.result["created"] == 0  # "R" -> approved: as it was
    assert ChangeLogEntry.objects.count() == before  # previews write nothing

    # A real change, previewed then imported.
    data = _export(owner, {"status": "Statut SI"}, {"portail-famille": {"status": "R", "version": "9.9"}})
    upload = _upload(owner, "applications.xlsx", data)
    page = owner.get(f"/w/valmont/import/{upload.pk}/").content.decode()
    fields = _form_data(owner, upload)
    fields[f"s0-col-{_column(page, 'Statut SI')}"] = "status"
    fields["s0-save_name"] = "Export Valmont"
    owner.post(f"/w/valmont/import/{upload.pk}/", {**fields, "action": "save-0"})
    saved = SavedMapping.objects.get(workspace=valmont, name="Export Valmont")
    assert saved.mapping["columns"] == {"Statut SI": "status"}
    page = owner.get(f"/w/valmont/import/{upload.pk}/").content.decode()
    position = _column(page, "Statut SI")
    n = re.search(rf'<code>R</code></th>\s*<td><label[^>]*for="s0-val-{position}-(\d+)"', page).group(1)
    fields = _form_data(owner, upload)
    fields[f"s0-val-{position}-{n}"] = "approved"
    owner.post(f"/w/valmont/import/{upload.pk}/", {**fields, "action": "preview"})
    upload.refresh_from_db()
    assert upload.result["ok"] and upload.result["updated"] == 1
    assert upload.result["changes"] == [{"type": "application", "slug": "portail-famille", "action": "update",
                                         "fields": ["version"]}]
    assert Application.objects.get(workspace=valmont, slug="portail-famille").version != "9.9"
    owner.post(f"/w/valmont/import/{upload.pk}/", {**_form_data(owner, upload), "action": "import"})
    upload.refresh_from_db()
    assert upload.result["ok"] and not upload.result["preview"] and upload.result["updated"] == 1
    assert Application.objects.get(workspace=valmont, slug="portail-famille").version == "9.9"
    entry = ChangeLogEntry.objects.latest("id")
    assert entry.object_slug == "portail-famille" and entry.source == "web"

    # The same file again, with the saved mapping: unchanged.
    again = _upload(owner, "applications.xlsx", data)
    fields = _form_data(owner, again)
    fields["s0-saved"] = str(saved.pk)
    owner.post(f"/w/valmont/import/{again.pk}/", {**fields, "action": "apply-0"})
    page = owner.get(f"/w/valmont/import/{again.pk}/").content.decode()
    position = _column(page, "Statut SI")
    n = re.search(rf'<code>R</code></th>\s*<td><label[^>]*for="s0-val-{position}-(\d+)"', page).group(1)
    fields = _form_data(owner, again)
    fields[f"s0-val-{position}-{n}"] = "approved"
    owner.post(f"/w/valmont/import/{again.pk}/", {**fields, "action": "preview"})
    again.refresh_from_db()
    assert again.result["ok"] and again.result["created"] == again.result["updated"] == 0
    assert "Preview: everything is unchanged" in owner.get(f"/w/valmont/import/{again.pk}/").content.decode()


def _row_of(ws, data: bytes, slug: str) -> str:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    for number, row in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        if slug in row:
            return f"row {number}"
    raise AssertionError(slug)


def test_a_workbook_of_several_sheets_is_one_import_all_or_nothing(owner, valmont):
    book = openpyxl.Workbook()
    book.active.title = "Logiciels"
    for row in [["Nom", "Type", "Unité"], ["Outil neuf", "saas", "x"]]:
        book.active.append(row)
    units = book.create_sheet("units")
    for row in [["slug", "name"], ["nouvelle-unite", "Nouvelle unité"]]:
        units.append(row)
    out = io.BytesIO()
    book.save(out)
    upload = _upload(owner, "inventaire.xlsx", out.getvalue())
    fields = _form_data(owner, upload)
    assert fields.get("s1-include") == "1" and "s0-include" not in fields  # "units" names a type, "Logiciels" not
    fields.update({"s0-type": "applications", "action": "type-0"})
    owner.post(f"/w/valmont/import/{upload.pk}/", fields)
    page = owner.get(f"/w/valmont/import/{upload.pk}/").content.decode()
    fields = _form_data(owner, upload)
    assert fields["s0-include"] == "1"
    fields[f"s0-col-{_column(page, 'Unité')}"] = "-"
    assert fields[f"s1-col-{_column(page, 'name', 's1')}"] == "name"
    fields["s0-defaults"] = "seats = trois"
    owner.post(f"/w/valmont/import/{upload.pk}/", {**fields, "action": "preview"})
    upload.refresh_from_db()
    assert not upload.result["ok"]
    assert any("sheet Logiciels" in p["location"] or "trois" in p["message"] for p in upload.result["problems"])
    fields["s0-defaults"] = "seats = 3"
    owner.post(f"/w/valmont/import/{upload.pk}/", {**fields, "action": "import"})
    upload.refresh_from_db()
    assert upload.result["ok"] and upload.result["created"] == 2, upload.result
    assert Application.objects.get(workspace=valmont, slug="outil-neuf").seats == 3


INVENTORY = ("Logiciel;Version;Statut;Type;Code\n"
             "LibreOffice;7.5;approved;desktop;lo-75\n"
             "LibreOffice;7.6;tolerated;desktop;lo-76\n"
             "Vieux;1;retired;desktop;old\n")


@pytest.mark.parametrize(("settings", "expected"), [
    ({"s0-slug": "{Logiciel}-{Version}"}, {"libreoffice-7.5", "libreoffice-7.6", "vieux-1"}),
    ({"s0-on_duplicate": "first"}, {"libreoffice", "vieux"}),
    ({"s0-on_duplicate": "last"}, {"libreoffice", "vieux"}),
    ({"s0-on_duplicate": "first", "s0-skip-0-column": "Statut", "s0-skip-0-values": "retired; banned"},
     {"libreoffice"}),
    ({"s0-slug": "Code"}, {"lo-75", "lo-76", "old"}),
])
def test_identity_settings_through_the_form(owner, valmont, settings, expected):
    Application.objects.filter(workspace=valmont, name__in=["LibreOffice", "Vieux"]).delete()
    upload = _upload(owner, "logiciels.csv", INVENTORY.encode())
    page = owner.get(f"/w/valmont/import/{upload.pk}/").content.decode()
    fields = {**_form_data(owner, upload), "s0-type": "applications"}
    owner.post(f"/w/valmont/import/{upload.pk}/", {**fields, "action": "type-0"})
    page = owner.get(f"/w/valmont/import/{upload.pk}/").content.decode()
    fields = _form_data(owner, upload)
    fields[f"s0-col-{_column(page, 'Logiciel')}"] = "name"
    fields[f"s0-col-{_column(page, 'Code')}"] = "-"
    owner.post(f"/w/valmont/import/{upload.pk}/", {**fields, "action": "preview"})
    upload.refresh_from_db()
    assert any("same identity 'libreoffice' as row 2" in p["message"] and p["location"] == "row 3"
               for p in upload.result["problems"])
    owner.post(f"/w/valmont/import/{upload.pk}/", {**fields, **settings, "action": "import"})
    upload.refresh_from_db()
    assert upload.result["ok"], upload.result
    candidates = [*expected, "libreoffice", "vieux", "libreoffice-7.5", "libreoffice-7.6", "vieux-1", "lo-75"]
    slugs = set(Application.objects.filter(workspace=valmont, slug__in=candidates).values_list("slug", flat=True))
    assert slugs == expected
    if settings.get("s0-on_duplicate") == "last":
        assert Application.objects.get(workspace=valmont, slug="libreoffice").status == "tolerated"
    mapping = upload.draft["sheets"][0]["mapping"]
    assert mapping["columns"] == {"Logiciel": "name", "Code": "-"}
    assert {k: mapping[k] for k in ("slug", "on_duplicate")} == {"slug": settings.get("s0-slug"),
                                                                 "on_duplicate": settings.get("s0-on_duplicate",
                                                                                              "error")}


def test_merge_through_the_form_reports_the_conflicting_rows(owner, valmont):
    upload = _upload(owner, "logiciels.csv", INVENTORY.encode())
    fields = {**_form_data(owner, upload), "s0-type": "applications"}
    owner.post(f"/w/valmont/import/{upload.pk}/", {**fields, "action": "type-0"})
    page = owner.get(f"/w/valmont/import/{upload.pk}/").content.decode()
    fields = _form_data(owner, upload)
    fields[f"s0-col-{_column(page, 'Logiciel')}"] = "name"
    fields[f"s0-col-{_column(page, 'Code')}"] = "-"
    owner.post(f"/w/valmont/import/{upload.pk}/", {**fields, "s0-on_duplicate": "merge", "action": "import"})
    upload.refresh_from_db()
    assert not upload.result["ok"]
    problems = {(p["location"], p["field"]): p["message"] for p in upload.result["problems"]}
    assert "differs from 'approved' on row 2" in problems[("row 3", "Statut (status)")]
    assert not Application.objects.filter(workspace=valmont, name="LibreOffice").exists()
    page = owner.get(f"/w/valmont/import/{upload.pk}/").content.decode()
    assert '<option value="merge" selected>' in page  # the form shows what was chosen


def test_a_map_file_is_previewed_then_imported(owner, valmont):
    document = {"applications": [{"slug": "nouvel-outil", "name": "Nouvel outil", "kind": "saas"}]}
    upload = _upload(owner, "ajout.yaml", yaml.safe_dump(document).encode())
    assert upload.result["ok"] and upload.result["preview"] and upload.result["created"] == 1
    assert not Application.objects.filter(workspace=valmont, slug="nouvel-outil").exists()
    owner.post(f"/w/valmont/import/{upload.pk}/", {"action": "import"})
    assert Application.objects.filter(workspace=valmont, slug="nouvel-outil").exists()
    again = _upload(owner, "ajout.yaml", yaml.safe_dump(document).encode())
    assert again.result["ok"] and again.result["unchanged"] == 1 and not again.result["created"]
    bad = _upload(owner, "faux.yaml", b"applications:\n  - slug: x\n    name: X\n    kind: nope\n")
    assert not bad.result["ok"] and bad.result["problems"][0]["location"] == "line 4"


def test_uploads_refused_clearly(owner, valmont, settings):
    response = owner.post("/w/valmont/import/", {"file": _named("notes.pdf", b"hello")})
    assert response.status_code == 400 and "none of them" in response.content.decode()
    settings.MUE_MAX_UPLOAD_BYTES = 10
    response = owner.post("/w/valmont/import/", {"file": _named("big.csv", b"name\n" + b"x" * 5000)})
    assert response.status_code == 400 and "too large" in response.content.decode()
    assert not ImportUpload.objects.exists()


def test_only_members_who_may_change_reach_the_import(client, valmont, django_user_model):
    client.force_login(_member(valmont, "viewer", "viewer", django_user_model))
    for url in ("/w/valmont/import/", "/w/valmont/import/mappings/", "/w/valmont/import/templates/applications.xlsx"):
        assert client.get(url).status_code == 404
    other = Workspace.objects.create(slug="autre", name="Autre")
    upload = ImportUpload.objects.create(workspace=other, file_name="a.csv", format="csv", content=b"name\nx\n")
    owner = _member(other, "owner", "other-owner", django_user_model)
    client.force_login(owner)
    assert client.get(f"/w/valmont/import/{upload.pk}/").status_code == 404
    assert client.get(f"/w/autre/import/{upload.pk}/").status_code == 200


def test_templates_download_per_type(owner):
    response = owner.get("/w/valmont/import/templates/services.xlsx")
    assert response.status_code == 200 and response["Content-Disposition"].endswith('services.xlsx"')
    assert openpyxl.load_workbook(io.BytesIO(response.content)).active.title == "services"
    assert owner.get("/w/valmont/import/templates/nothing.csv").status_code == 404


def test_saved_mappings_are_the_files_the_cli_reads(owner, valmont, tmp_path):
    text = "type: application\ncolumns: {Nom: name}\nslug: '{Nom}-{Version}'\non_duplicate: last\n"
    response = owner.post("/w/valmont/import/mappings/", {"name": "Inventaire", "file": _named("m.yaml",
                                                                                              text.encode())})
    assert response.status_code == 302
    saved = SavedMapping.objects.get(workspace=valmont, name="Inventaire")
    download = owner.get(reverse("web:import_mapping_download", args=["valmont", saved.pk]))
    path = tmp_path / "m.yaml"
    path.write_bytes(download.content)
    from mue.interchange.mapping import load_mapping

    assert load_mapping(path) == saved.mapping and saved.mapping["type"] == "applications"
    response = owner.post("/w/valmont/import/mappings/", {"name": "Faux", "file": _named("f.yaml", b"colonnes: 1\n")})
    assert response.status_code == 400 and "unknown key" in response.content.decode()
    owner.post(reverse("web:import_mapping_delete", args=["valmont", saved.pk]))
    assert not SavedMapping.objects.exists()


def test_saved_mapping_changes_are_in_the_change_log(owner, valmont):
    """Saved, replaced (logged with before and after), saved again unchanged (not logged), deleted."""
    from mue.core.models import ChangeLogEntry

    def post(text: str):
        return owner.post("/w/valmont/import/mappings/",
                          {"name": "Inventaire", "file": _named("m.yaml", text.encode())})

    post("type: application\ncolumns: {Nom: name}\n")
    post("type: application\ncolumns: {Nom: name, Statut: status}\n")
    post("type: application\ncolumns: {Nom: name, Statut: status}\n")
    saved = SavedMapping.objects.get(workspace=valmont, name="Inventaire")
    owner.post(reverse("web:import_mapping_delete", args=["valmont", saved.pk]))
    entries = list(ChangeLogEntry.objects.filter(workspace=valmont, object_type="mapping").order_by("id"))
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert {e.object_slug for e in entries} == {"Inventaire"} and all(e.actor_name for e in entries)
    assert entries[1].before["mapping"]["columns"] == {"Nom": "name"}
    assert entries[1].after["mapping"]["columns"] == {"Nom": "name", "Statut": "status"}
    history = owner.get("/w/valmont/history/")
    assert history.status_code == 200 and "Inventaire" in history.content.decode()


@pytest.mark.parametrize("count", [1, 30])
def test_the_saved_mappings_list_costs_the_same_whatever_their_number(owner, valmont, django_user_model, count):
    users = [_member(valmont, "editor", f"editor{i}", django_user_model) for i in range(3)]
    for i in range(count):
        SavedMapping.objects.create(workspace=valmont, name=f"Mapping {i}", object_type="applications",
                                    mapping={"type": "applications", "columns": {"A": "name"}},
                                    updated_by=users[i % 3])
    owner.get("/w/valmont/import/mappings/")
    with CaptureQueriesContext(connection) as ctx:
        response = owner.get("/w/valmont/import/mappings/")
    assert response.status_code == 200 and response.content.decode().count("Download (YAML)") == count
    assert len(ctx.captured_queries) == QUERIES_OF_THE_LIST


# Session, user, workspace gate and actions, the layout's workspaces, the mappings with their authors (one join).
QUERIES_OF_THE_LIST = 7
