"""Custom fields on the pages and in the API: forms, detail, list columns and filters, exports, the
audit's rule, with query counts that do not grow with the rows."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mue.applications.models import Application
from mue.interchange.importer import import_document

pytestmark = pytest.mark.django_db

FIELDS = [
    {"slug": "marche", "name": "Numéro de marché", "object_type": "applications", "kind": "text"},
    {"slug": "budget", "name": "Ligne budgétaire", "object_type": "applications", "kind": "number"},
    {"slug": "rgaa", "name": "Conformité RGAA", "object_type": "applications", "kind": "choice",
     "choices": ["totale", "partielle", "non conforme"], "expected": True, "position": 1},
    {"slug": "revue", "name": "Revue le", "object_type": "applications", "kind": "date"},
    {"slug": "heberge-ue", "name": "Hébergé dans l'UE", "object_type": "applications", "kind": "boolean"},
    {"slug": "revendeur", "name": "Revendeur", "object_type": "applications", "kind": "link",
     "target_type": "parties"},
]


@pytest.fixture
def fields(valmont):
    import_document({"custom_fields": FIELDS, "applications": [
        {"slug": "logiciel-etat-civil", "name": "Logiciel d'état civil", "custom": {
            "marche": "2024-MP-17", "budget": 1200.5, "rgaa": "partielle", "revue": "2026-03-01",
            "heberge-ue": True, "revendeur": "horizon"}},
        {"slug": "logiciel-cimetiere", "name": "Logiciel de gestion du cimetière", "custom": {
            "rgaa": "totale", "budget": 300, "heberge-ue": False}},
    ]}, workspace="valmont")
    return FIELDS


def list_slugs(client, query: str) -> set[str]:
    response = client.get(f"/w/valmont/applications/?{query}&per_page=100")
    assert response.status_code == 200
    return {row["obj"].slug for row in response.context["table"]}


def test_list_filters_on_every_kind(owner_client, fields):
    assert list_slugs(owner_client, "cf_rgaa=partielle") == {"logiciel-etat-civil"}
    assert list_slugs(owner_client, "cf_rgaa=partielle&cf_rgaa=totale") == {"logiciel-etat-civil",
                                                                           "logiciel-cimetiere"}
    assert list_slugs(owner_client, "cf_budget_min=500") == {"logiciel-etat-civil"}
    assert list_slugs(owner_client, "cf_budget_max=500") == {"logiciel-cimetiere"}
    assert list_slugs(owner_client, "cf_revue_after=2026-02-01") == {"logiciel-etat-civil"}
    assert list_slugs(owner_client, "cf_heberge-ue=false") == {"logiciel-cimetiere"}
    assert list_slugs(owner_client, "cf_heberge-ue=true") == {"logiciel-etat-civil"}
    assert list_slugs(owner_client, "cf_marche=mp-17") == {"logiciel-etat-civil"}
    assert list_slugs(owner_client, "cf_revendeur=horizon") == {"logiciel-etat-civil"}


def test_list_columns_show_values_and_link_names(owner_client, fields):
    response = owner_client.get("/w/valmont/applications/?columns=name&columns=custom.rgaa"
                                "&columns=custom.revendeur&columns=custom.budget&q=civil")
    html = response.content.decode()
    assert "Conformité RGAA" in html and "partielle" in html
    assert 'href="/w/valmont/parties/horizon/"' in html  # the reseller's name, linked
    assert "1,200.5" in html or "1 200,5" in html


def test_detail_shows_the_custom_fields_group(owner_client, fields):
    html = owner_client.get("/w/valmont/applications/logiciel-etat-civil/").content.decode()
    assert "Custom fields" in html and "Numéro de marché" in html and "2024-MP-17" in html
    assert 'href="/w/valmont/parties/horizon/"' in html


def test_the_form_edits_and_clears_custom_values_through_the_importer(owner_client, fields):
    page = owner_client.get("/w/valmont/applications/logiciel-etat-civil/edit/")
    form = page.context["form"]
    assert form["custom__rgaa"].value() == "partielle" and form["custom__revendeur"].value() == "horizon"
    data = {name: form[name].value() for name in form.fields if not form.fields[name].disabled
            and form[name].value() not in (None, [], "")}
    data["tags"] = ", ".join(data.get("tags", []))
    data.update({"custom__rgaa": "totale", "custom__budget": "", "custom__heberge-ue": "false",
                 "custom__revue": "2026-04-02"})
    for key, value in list(data.items()):
        if isinstance(value, bool):
            data[key] = "on" if value else ""
        elif isinstance(value, list):
            data[key] = [str(v) for v in value]
    response = owner_client.post("/w/valmont/applications/logiciel-etat-civil/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    assert Application.objects.get(workspace__slug="valmont", slug="logiciel-etat-civil").custom == {
        "heberge-ue": False, "marche": "2024-MP-17", "revendeur": "horizon", "revue": "2026-04-02", "rgaa": "totale"}


def test_a_bad_value_is_refused_on_its_field(owner_client, fields):
    response = owner_client.post("/w/valmont/applications/add/", {
        "name": "Salles", "kind": "saas", "status": "approved", "custom__rgaa": "peut-être"})
    assert response.status_code == 200
    assert response.context["form"].errors["custom__rgaa"]


def test_export_has_the_custom_columns_and_reads_back_unchanged(owner_client, fields, valmont):
    body = owner_client.get("/w/valmont/applications/export.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    civil = next(r for r in rows if r["slug"] == "logiciel-etat-civil")
    assert civil["custom.rgaa"] == "partielle" and civil["custom.revendeur"] == "horizon"
    assert civil["custom.heberge-ue"] == "yes"
    from mue.core.inputs import csv_rows
    from mue.core.registry import registry
    from mue.interchange.mapping import empty_mapping
    from mue.interchange.normalize import Names
    from mue.interchange.tabular import read_rows

    table = read_rows(csv_rows(body.encode(), []), "export.csv", registry["applications"], empty_mapping(),
                      Names(valmont.id))
    assert not table.problems
    report = import_document(table.document, workspace="valmont", locate=table.locate)
    assert not report.changed


def test_a_spreadsheet_column_named_like_the_field_fills_it(valmont, fields):
    from mue.core.registry import registry
    from mue.interchange.mapping import empty_mapping
    from mue.interchange.normalize import Names
    from mue.interchange.tabular import read_rows

    rows = [(1, ["slug", "Conformité RGAA", "Revendeur", "Revue le"]),
            (2, ["logiciel-ads", "Non conforme", "Horizon", "15/01/2026"])]
    table = read_rows(rows, "apps.csv", registry["applications"], empty_mapping(), Names(valmont.id))
    assert table.document["applications"][0]["custom"] == {"rgaa": "non conforme", "revendeur": "horizon",
                                                           "revue": "2026-01-15"}


def test_the_template_has_the_custom_columns(owner_client, fields):
    body = owner_client.get("/w/valmont/import/templates/applications.csv").content.decode("utf-8-sig")
    assert "custom.rgaa" in body.splitlines()[0]


def test_the_list_costs_no_more_queries_with_more_rows(owner_client, fields, valmont):
    url = "/w/valmont/applications/?columns=name&columns=custom.revendeur&columns=custom.rgaa&per_page={}"
    owner_client.get(url.format(10))  # the first visit creates the user's profile
    with CaptureQueriesContext(connection) as few:
        owner_client.get(url.format(10))
    Application.objects.filter(workspace=valmont).update(custom={"revendeur": "horizon", "rgaa": "totale"})
    with CaptureQueriesContext(connection) as many:
        owner_client.get(url.format(50))
    assert len(many) == len(few)


def test_the_api_reads_merges_and_filters_custom_values(client, fields, valmont, member_factory):
    client.force_login(member_factory(valmont, "owner"))
    item = client.get("/api/v1/workspaces/valmont/applications/logiciel-cimetiere").json()
    assert item["custom"] == {"budget": 300, "heberge-ue": False, "rgaa": "totale"}
    response = client.patch("/api/v1/workspaces/valmont/applications/logiciel-cimetiere",
                            json.dumps({"custom": {"budget": None, "marche": "2025-03"}}),
                            content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["custom"] == {"heberge-ue": False, "marche": "2025-03", "rgaa": "totale"}
    bad = client.patch("/api/v1/workspaces/valmont/applications/logiciel-cimetiere",
                       json.dumps({"custom": {"rgaa": "bof"}}), content_type="application/json")
    assert bad.status_code == 422 and "custom.rgaa" in bad.content.decode()
    found = client.get("/api/v1/workspaces/valmont/applications?cf_rgaa=totale").json()["items"]
    assert [i["slug"] for i in found] == ["logiciel-cimetiere"]


def test_the_audit_reports_an_expected_field_left_empty(valmont, fields):
    from mue.audit.engine import run_audit
    from mue.audit.models import Finding

    run = run_audit(valmont)
    finding = Finding.objects.get(run_id=run.run_id, rule_id="DOC-012")
    assert finding.object_slug == "rgaa"
    assert finding.evidence["field"] == "rgaa"
    assert finding.evidence["objects_without_value"] == Application.objects.filter(workspace=valmont).count() - 2


def test_history_shows_each_custom_value_under_its_name(owner_client, fields):
    """The log keeps ``custom`` as one dict; the history shows each field by its name, a link by its object."""
    app = Application.objects.get(workspace__slug="valmont", slug="logiciel-etat-civil")
    import_document({"applications": [{"slug": app.slug, "name": app.name, "custom": {
        "marche": "2024-MP-17", "budget": 1500, "rgaa": "totale", "revue": "2026-03-01", "heberge-ue": True,
        "revendeur": "horizon"}}]}, workspace="valmont")
    page = owner_client.get(f"/w/valmont/applications/{app.slug}/history/")
    rows = page.context["rows"]
    update = next(r for r in rows if r.entry.action == "update")
    labels = {c.label: (c.before.text, c.after.text) for c in update.changes}
    assert labels["Ligne budgétaire"] == ("1200.5", "1500") and labels["Conformité RGAA"] == ("partielle", "totale")
    assert "Numéro de marché" not in labels  # unchanged values are not listed
    first = next(r for r in rows if r.entry.action == "update" and r is not update)  # the fixture's values
    given = {c.label: c.after for c in first.changes}
    assert given["Revendeur"].url and given["Revendeur"].text != "horizon"  # the party, by its name
    assert given["Hébergé dans l'UE"].text == "Yes" and given["Revue le"].text != "2026-03-01"  # words, a date
    assert "{" not in page.content.decode().split("<main", 1)[-1].split("</main>")[0].replace("{%", "")
