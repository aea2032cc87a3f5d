"""The endpoints of every register type: read, create, change, delete, bulk, pages, fields, ETags."""

from __future__ import annotations

import pytest

from mue.core.models import ChangeLogEntry
from mue.core.registry import registry
from mue.interchange.exporter import export_items
from mue.web.spec import type_segment

pytestmark = pytest.mark.django_db
TYPES = [t.key for t in registry]


def url(key: str, slug: str = "", ws: str = "valmont") -> str:
    base = f"/api/v1/workspaces/{ws}/{type_segment(registry[key])}"
    return f"{base}/{slug}" if slug else base


def first(valmont, key: str):
    return registry[key].model.objects.filter(workspace=valmont).order_by("pk").first()


@pytest.mark.parametrize("key", TYPES)
def test_every_type_reads_as_its_map_item(key, valmont, owner):
    obj = first(valmont, key)
    response = owner.get(url(key, obj.slug))
    assert response.status_code == 200
    item = response.json()
    exported = export_items(registry[key], registry[key].model.objects.filter(pk=obj.pk))[0]
    assert {k: v for k, v in item.items() if k in exported} == exported  # the map item, with every key
    assert set(item) == {mf.key for mf in registry[key].fields}
    assert response["ETag"].startswith('"')
    listed = owner.get(url(key), limit=1000).json()["items"]
    assert item in listed


#: What a copy of an object changes to stay valid where a rule holds across objects (a cost line names
#: each service once among its shares).
VALID_COPY = {"cost_shares": {"service": "ccas"}}


@pytest.mark.parametrize("key", TYPES)
def test_every_type_is_created_changed_and_deleted_with_its_log(key, valmont, owner):
    otype = registry[key]
    source = first(valmont, key)
    item = export_items(otype, otype.model.objects.filter(pk=source.pk))[0]
    item = {**item, "slug": "made-by-api", "name": "Made by the API", **VALID_COPY.get(key, {})}
    identity = getattr(otype.model.Map, "identity", None)
    if identity:  # one object per identity (a person's level in a competence): the copy takes a free one
        assert owner.post(url(key), item).status_code == 422
        stored = export_items(otype, otype.model.objects.filter(workspace=valmont))
        taken = {tuple(str(i.get(k) or "") for k in identity) for i in stored}
        last = identity[-1]
        item[last] = next(v for v in otype.field(last).choices
                          if tuple(v if k == last else str(item.get(k) or "") for k in identity) not in taken)
    created = owner.post(url(key), item)
    assert created.status_code == 201, created.content
    assert created["Location"].endswith(url(key, "made-by-api"))
    assert owner.post(url(key), item).status_code == 409

    changed = owner.patch(url(key, "made-by-api"), {"description": "Changed"}, headers={"If-Match": created["ETag"]})
    assert changed.status_code == 200, changed.content
    assert changed.json()["description"] == "Changed" and changed["ETag"] != created["ETag"]
    stale = owner.patch(url(key, "made-by-api"), {"description": "Lost"}, headers={"If-Match": created["ETag"]})
    assert stale.status_code == 412 and stale.json()["code"] == "stale"
    assert owner.delete(url(key, "made-by-api"), headers={"If-Match": created["ETag"]}).status_code == 412
    assert owner.delete(url(key, "made-by-api"), headers={"If-Match": changed["ETag"]}).status_code == 204
    assert owner.get(url(key, "made-by-api")).status_code == 404

    log = ChangeLogEntry.objects.filter(object_type=otype.singular, object_slug="made-by-api").order_by("id")
    actions = [e.action for e in log]  # a document's delete also logs its links going (updates)
    assert actions[0] == "create" and actions[1] == "update" and actions[-1] == "delete"
    assert {(e.source, e.actor_name) for e in log} == {("api", "api1")}
    assert all(e.actor_id is not None for e in log)


def test_create_names_every_problem_and_writes_nothing(valmont, owner):
    response = owner.post(url("applications"), {"slug": "x", "name": "X", "status": "bogus", "vendor": "nobody"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert {e["field"] for e in body["errors"]} == {"kind", "status", "vendor"}
    assert all(e["index"] is None and e["message"] for e in body["errors"])
    assert not valmont.changes.filter(object_slug="x").exists()


def test_patch_keeps_absent_keys_clears_nulls_and_refuses_a_new_slug(valmont, owner):
    app = first(valmont, "applications")
    before = owner.get(url("applications", app.slug)).json()
    after = owner.patch(url("applications", app.slug), {"vendor": None}).json()
    assert after["vendor"] is None and after["name"] == before["name"] and after["kind"] == before["kind"]
    refused = owner.patch(url("applications", app.slug), {"slug": "renamed"})
    assert refused.status_code == 422 and refused.json()["field"] == "slug"
    assert owner.patch(url("applications", app.slug), b"{nope").status_code == 400
    assert owner.patch(url("applications", app.slug), [1]).status_code == 422


def test_a_field_that_always_has_a_value_cannot_be_nulled(valmont, owner):
    """A date with neither null nor default (a terms review's day) refuses null with a 422 on its field."""
    review = first(valmont, "terms_reviews")
    refused = owner.patch(url("terms_reviews", review.slug), {"reviewed_on": None})
    assert refused.status_code == 422 and refused.json()["field"] == "reviewed_on"
    assert "cannot be emptied" in refused.json()["errors"][0]["message"]
    assert registry["terms_reviews"].model.objects.get(pk=review.pk).reviewed_on == review.reviewed_on


def test_bulk_upsert_is_all_or_nothing_with_item_indexes(valmont, owner):
    items = [{"slug": "bulk-1", "name": "One", "kind": "saas"}, {"slug": "bulk-2", "name": "Two", "kind": "nope"},
             {"slug": "bulk-3", "name": "Three", "kind": "saas", "vendor": "nobody"}]
    refused = owner.post(url("applications") + "/bulk", {"items": items})
    assert refused.status_code == 422
    assert sorted((e["index"], e["field"]) for e in refused.json()["errors"]) == [(1, "kind"), (2, "vendor")]
    assert not registry["applications"].model.objects.filter(slug__startswith="bulk-").exists()

    items[1]["kind"], items[2]["vendor"] = "saas", None
    existing = first(valmont, "applications")
    items.append({"slug": existing.slug, "name": existing.name, "description": "Bulk"})
    done = owner.post(url("applications") + "/bulk", {"items": items})
    assert done.status_code == 200, done.content
    assert done.json() == {"created": 3, "updated": 1, "unchanged": 0}
    again = owner.post(url("applications") + "/bulk", {"items": items}).json()
    assert again == {"created": 0, "updated": 0, "unchanged": 4}
    assert owner.post(url("applications") + "/bulk", {"rows": []}).status_code == 422


def test_pages_walk_forward_and_back_with_cursors(valmont, owner):
    everything = [i["slug"] for i in owner.get(url("applications"), limit=1000).json()["items"]]
    seen, params = [], {"limit": 25, "fields": "slug"}
    page = owner.get(url("applications"), **params).json()
    seen += [i["slug"] for i in page["items"]]
    assert page["previous_cursor"] is None
    while page["next_cursor"]:
        page = owner.get(url("applications"), after=page["next_cursor"], **params).json()
        seen += [i["slug"] for i in page["items"]]
    assert seen == everything and len(everything) > 25
    last = owner.get(url("applications"), last="true", **params).json()
    assert [i["slug"] for i in last["items"]] == everything[-25:]
    back = owner.get(url("applications"), before=last["previous_cursor"], **params).json()
    assert [i["slug"] for i in back["items"]] == everything[-50:-25]


def test_filters_sort_and_fields_mirror_the_web_list(valmont, owner):
    apps = registry["applications"].model.objects.filter(workspace=valmont)
    saas = owner.get(url("applications"), kind="saas", fields="slug,kind", limit=1000).json()["items"]
    assert {i["slug"] for i in saas} == set(apps.filter(kind="saas").values_list("slug", flat=True))
    assert all(set(i) == {"slug", "kind"} for i in saas)
    newest = owner.get(url("applications"), sort="-name", limit=25).json()["items"]
    assert [i["name"] for i in newest] == sorted((a.name for a in apps), reverse=True)[:25]
    for params, field in (({"sort": "nope"}, "sort"), ({"limit": "7"}, "limit"), ({"kind": "nope"}, "kind"),
                          ({"fields": "nope"}, "fields"), ({"after": "!!"}, "after")):
        response = owner.get(url("applications"), **params)
        assert response.status_code == 422, params
        assert response.json()["errors"][0]["field"] == field


def test_if_none_match_answers_not_modified(valmont, owner):
    app = first(valmont, "applications")
    etag = owner.get(url("applications", app.slug))["ETag"]
    assert owner.get(url("applications", app.slug), headers={"If-None-Match": etag}).status_code == 304
