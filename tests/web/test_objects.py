"""The generic pages of the register types: create, edit, bulk edit, delete, export, autocomplete."""

from __future__ import annotations

import csv
import io

import pytest

from mue.applications.models import Application
from mue.core.models import ChangeLogEntry
from mue.services.models import Service

pytestmark = pytest.mark.django_db


def _form_data(response) -> dict:
    """What the browser would post back: every field of the form with its initial value."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = form[name].field.prepare_value(value) if name == "tags" else value
    return data


def test_create_an_application_and_link_it_to_a_service(owner_client, valmont):
    response = owner_client.post("/w/valmont/applications/add/", {
        "name": "Gestion des salles", "kind": "saas", "status": "approved", "hosting_country": "FR",
    })
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    app = Application.objects.get(workspace=valmont, slug="gestion-des-salles")
    assert response["Location"] == "/w/valmont/applications/gestion-des-salles/"
    service = Service.objects.filter(workspace=valmont).first()
    edit = owner_client.get(f"/w/valmont/services/{service.slug}/edit/")
    data = _form_data(edit)
    data["applications"] = [*data.get("applications", []), app.slug]
    response = owner_client.post(f"/w/valmont/services/{service.slug}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    assert app in service.applications.all()
    page = owner_client.get(f"/w/valmont/applications/{app.slug}/").content.decode()
    assert service.name in page  # the link, seen from the other side
    entry = ChangeLogEntry.objects.filter(object_type="service", object_id=service.pk).latest("time")
    assert entry.source == "web" and entry.actor_name.startswith("user")


def test_the_importer_s_messages_are_put_on_the_fields(owner_client, valmont):
    """A value the importer refuses is refused with its words, on the field it names; nothing is written."""
    response = owner_client.post("/w/valmont/applications/add/", {"name": "X", "status": "approved"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["kind"], errors
    assert not Application.objects.filter(workspace=valmont, slug="x").exists()
    existing = Application.objects.filter(workspace=valmont).first()
    again = owner_client.post("/w/valmont/applications/add/", {"name": "Y", "slug": existing.slug, "kind": "saas"})
    assert "slug" in again.context["form"].errors  # a create never overwrites an existing object


def test_bulk_edit_three_applications(owner_client, valmont):
    apps = list(Application.objects.filter(workspace=valmont).order_by("slug")[:3])
    pks = [str(a.pk) for a in apps]
    form = owner_client.post("/w/valmont/applications/bulk-edit/", {"pk": pks})
    assert form.status_code == 200
    response = owner_client.post("/w/valmont/applications/bulk-edit/", {
        "pk": pks, "_apply": "1", "change__status": "1", "status": "tolerated"})
    assert response.status_code == 302
    assert {a.status for a in Application.objects.filter(pk__in=pks)} == {"tolerated"}
    others = Application.objects.filter(workspace=valmont).exclude(pk__in=pks)
    assert others.exclude(status="tolerated").exists()


def test_delete_asks_then_deletes_and_logs(owner_client, valmont):
    app = Application.objects.filter(workspace=valmont).first()
    confirm = owner_client.get(f"/w/valmont/applications/{app.slug}/delete/")
    assert confirm.status_code == 200
    response = owner_client.post(f"/w/valmont/applications/{app.slug}/delete/")
    assert response.status_code == 302
    assert not Application.objects.filter(pk=app.pk).exists()
    assert ChangeLogEntry.objects.filter(object_type="application", object_id=app.pk, action="delete").exists()


def test_export_of_the_filtered_list_reads_back(owner_client, valmont):
    response = owner_client.get("/w/valmont/applications/export.csv?status=approved")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    expected = set(Application.objects.filter(workspace=valmont, status="approved").values_list("slug", flat=True))
    assert {r["slug"] for r in rows} == expected
    xlsx = owner_client.get("/w/valmont/applications/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_autocomplete_answers_within_the_workspace(owner_client, valmont):
    app = Application.objects.filter(workspace=valmont).first()
    data = owner_client.get(f"/w/valmont/applications/autocomplete/?q={app.name[:4]}").json()
    assert app.slug in [r["value"] for r in data["results"]]
    refs = owner_client.get("/w/valmont/references/autocomplete/?types=application,unit&q=a").json()
    assert all(r["value"].split(":")[0] in ("application", "unit") for r in refs["results"])


def test_list_filters_search_sort_and_pages(owner_client, valmont):
    page = owner_client.get("/w/valmont/applications/?q=portail&sort=-name&per_page=25")
    assert page.status_code == 200
    names = [row["obj"].name for row in page.context["table"]]
    assert names == sorted(names, reverse=True) and all("portail" in (
        r["obj"].name + r["obj"].slug + r["obj"].description).lower() for r in page.context["table"])
    first = owner_client.get("/w/valmont/applications/?per_page=25")
    assert first.context["page"].has_next
    second = owner_client.get(f"/w/valmont/applications/?per_page=25&after={first.context['page'].next_cursor}")
    seen = {r["obj"].pk for r in first.context["table"]}
    assert seen.isdisjoint({r["obj"].pk for r in second.context["table"]})
    last = owner_client.get("/w/valmont/applications/?per_page=25&page=last")
    ordered = list(Application.objects.filter(workspace=valmont).order_by("name", "pk").values_list("pk", flat=True))
    assert [r["obj"].pk for r in last.context["table"]] == ordered[-25:]  # the last rows, in order
    assert not last.context["page"].has_next and last.context["page"].has_previous


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("key", ["applications", "flows", "services", "documents"])
def test_an_exported_list_imports_back_unchanged(owner_client, valmont, tmp_path, fmt, key):
    """Export → import: nothing changes (the sheet a client edits is the importer's own format)."""
    from mue.core.registry import registry
    from mue.interchange.files import import_file
    from mue.web.spec import type_segment

    otype = registry[key]
    response = owner_client.get(f"/w/valmont/{type_segment(otype)}/export.{fmt}")
    path = tmp_path / f"{key}.{fmt}"
    path.write_bytes(response.content)
    before = ChangeLogEntry.objects.count()
    report = import_file(path, workspace="valmont", object_type=key)
    assert not report.changed, (report.created, report.updated)
    assert sum(report.unchanged.values()) == otype.model.objects.filter(workspace=valmont).count()
    assert ChangeLogEntry.objects.count() == before


def test_a_reference_filter_by_slug(owner_client, valmont):
    app = Application.objects.filter(workspace=valmont, vendor__isnull=False).first()
    page = owner_client.get(f"/w/valmont/applications/?vendor={app.vendor.slug}")
    assert page.status_code == 200
    shown = {r["obj"].pk for r in page.context["table"]}
    assert shown == set(Application.objects.filter(workspace=valmont, vendor=app.vendor).values_list("pk", flat=True))
