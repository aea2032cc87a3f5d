"""No reference crosses workspaces: tests generated over every relation of every scoped model.

The relations are read from the models (every foreign key and many-to-many of each registered type,
and the side tables' foreign keys to register objects), so a new type or side table is covered with
no new test. For each one: linking to an object of another workspace is refused and nothing is
written; linking inside the workspace works.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext
from typer.testing import CliRunner

from mue.core import integrity
from mue.core.integrity import CrossWorkspaceReference
from mue.core.models import Workspace
from mue.core.registry import registry

_counter = itertools.count()


def _value(f: models.Field):
    if f.choices:
        return f.flatchoices[0][0]
    if isinstance(f, models.BooleanField):
        return False
    if isinstance(f, models.DateTimeField):
        return dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    if isinstance(f, models.DateField):
        return dt.date(2024, 1, 1)
    if isinstance(f, models.DecimalField | models.IntegerField | models.FloatField):
        return 1
    if isinstance(f, models.JSONField):
        return {}
    if isinstance(f, models.BinaryField):
        return b"v%d" % next(_counter)
    if isinstance(f, models.UUIDField):
        import uuid

        return uuid.uuid4()
    if isinstance(f, models.BinaryField):
        return b"v"
    text = f"v{next(_counter)}"
    return text[-f.max_length:] if f.max_length else text  # the last digits keep values distinct


def make(model: type[models.Model], ws: Workspace, **values) -> models.Model:
    """A valid row of any scoped model in ``ws``: required fields filled, required parents made in ``ws``."""
    values = dict(values)
    path = integrity.workspace_path(model)
    own = path.split("__")[0]
    for f in model._meta.concrete_fields:
        if f.primary_key or f.name in values or f.attname in values:
            continue
        if f.name == own:
            values[f.name] = ws if f.related_model is Workspace else make(f.related_model, ws)
        elif f.name == "slug":
            values["slug"] = f"s{next(_counter)}"
        elif f.many_to_one and not f.null and integrity.workspace_path(f.related_model):
            values[f.name] = make(f.related_model, ws)
        elif f.many_to_one and not f.null and f.related_model is get_user_model():
            values[f.name] = get_user_model().objects.create_user(f"u{next(_counter)}")
        elif not f.null and not f.has_default() and not getattr(f, "auto_now_add", False) \
                and not getattr(f, "auto_now", False) and not f.many_to_one:
            values[f.name] = _value(f)
    if model in registry._by_model:  # a flow's endpoints: exactly one per side
        for mf in registry.by_model(model).fields:
            if mf.kind == "endpoint" and not any(k.startswith(f"{mf.model_field_prefix}_") for k in values):
                values[f"{mf.model_field_prefix}_application"] = make(registry.by_singular("application").model, ws)
    return model._base_manager.create(**values)


def _fk_cases():
    for model in integrity.scoped_models(include_auto_created=False):
        for f in integrity.checked_foreign_keys(model):
            yield pytest.param(model, f.name, id=f"{model._meta.label}.{f.name}")


def _m2m_cases():
    for otype in registry:
        for f in otype.model._meta.many_to_many:
            for side in ("forward", "reverse"):
                yield pytest.param(otype.model, f.name, side, id=f"{otype.model._meta.label}.{f.name}-{side}")


FK_CASES = list(_fk_cases())
M2M_CASES = list(_m2m_cases())


@pytest.fixture
def two(db):
    return (Workspace.objects.create(slug="ws-a", name="A"), Workspace.objects.create(slug="ws-b", name="B"))


def _clear_endpoint_siblings(obj, field_name: str) -> None:
    """Setting one endpoint of a flow clears the others of the same side (one endpoint per side)."""
    if type(obj) not in registry._by_model:
        return
    for mf in registry.by_model(type(obj)).fields:
        prefix = f"{mf.model_field_prefix}_" if mf.kind == "endpoint" else None
        if prefix and field_name.startswith(prefix):
            for f in type(obj)._meta.concrete_fields:
                if f.name.startswith(prefix) and f.name != field_name:
                    setattr(obj, f.attname, None)


def test_every_relation_of_every_type_is_covered():
    """The generated cases reach every registered type's relations and the side tables'."""
    names = {c.id for c in FK_CASES}
    for otype in registry:
        for f in otype.model._meta.concrete_fields:
            if f.many_to_one and f.name != "workspace":
                assert f"{otype.model._meta.label}.{f.name}" in names
    for side_table in ("usage.UsageObservation.application", "discovery.ApplicationMapping.application",
                       "discovery.DiscoveredService.application", "organization.Unit.parent",
                       "infrastructure.Asset.host"):
        assert side_table in names
    assert {"applications.Application.depends_on-forward", "applications.Application.depends_on-reverse"} <= {
        c.id for c in M2M_CASES}


@pytest.mark.parametrize(("model", "name"), FK_CASES)
def test_foreign_key_to_another_workspace_is_refused(two, model, name):
    a, b = two
    f = model._meta.get_field(name)
    obj = make(model, a)
    stored = type(obj)._base_manager.filter(pk=obj.pk).values_list(f.attname, flat=True).get()
    outside = make(f.related_model, b)

    # The related object loaded (no query needed) and given by id only (one query) are both refused.
    for value in (outside, outside.pk):
        obj = type(obj)._base_manager.get(pk=obj.pk)
        _clear_endpoint_siblings(obj, name)
        setattr(obj, name if isinstance(value, models.Model) else f.attname, value)
        with pytest.raises(CrossWorkspaceReference) as refused:
            obj.save()
        assert name in refused.value.messages[0] and "ws-a" in refused.value.messages[0] \
            and "ws-b" in refused.value.messages[0]
        assert type(obj)._base_manager.filter(pk=obj.pk).values_list(f.attname, flat=True).get() == stored

    inside = make(f.related_model, a)
    obj = type(obj)._base_manager.get(pk=obj.pk)
    _clear_endpoint_siblings(obj, name)
    setattr(obj, name, inside)
    obj.save()
    assert type(obj)._base_manager.filter(pk=obj.pk).values_list(f.attname, flat=True).get() == inside.pk


@pytest.mark.parametrize(("model", "name"), FK_CASES)
def test_new_row_pointing_to_another_workspace_is_not_written(two, model, name):
    a, b = two
    f = model._meta.get_field(name)
    outside = make(f.related_model, b)
    before = model._base_manager.count()
    with pytest.raises(CrossWorkspaceReference):
        make(model, a, **{name: outside})
    assert model._base_manager.count() == before


@pytest.mark.parametrize(("model", "name", "side"), M2M_CASES)
def test_many_to_many_to_another_workspace_is_refused(two, model, name, side):
    a, b = two
    f = model._meta.get_field(name)
    through = f.remote_field.through
    owner, outside = make(model, a), make(f.related_model, b)
    before = through.objects.count()
    # ``add`` runs in the caller's transaction (``atomic(savepoint=False)``): a savepoint here keeps the
    # test's transaction usable after the refusal, as a view's own transaction would be rolled back.
    with pytest.raises(CrossWorkspaceReference) as refused, transaction.atomic():
        if side == "forward":
            getattr(owner, name).add(outside)
        else:
            getattr(outside, f.remote_field.get_accessor_name()).add(owner)
    assert "ws-a" in refused.value.messages[0] or "ws-b" in refused.value.messages[0]
    assert through.objects.count() == before

    inside = make(f.related_model, a)
    if side == "forward":
        getattr(owner, name).add(inside)
    else:
        getattr(inside, f.remote_field.get_accessor_name()).add(owner)
    assert through.objects.count() == before + 1


def test_many_to_many_check_is_one_query_for_the_whole_set(two):
    a, _b = two
    app_model = registry.by_singular("application").model
    asset_model = registry.by_singular("asset").model
    app = make(app_model, a)
    assets = [make(asset_model, a) for _ in range(5)]
    with CaptureQueriesContext(connection) as with_check:
        app.assets.add(*assets)
    checks = [q for q in with_check.captured_queries if "workspace_id" in q["sql"] and "SELECT" in q["sql"]
              and "infrastructure_asset" in q["sql"]]
    assert len(checks) == 1


def test_unchanged_foreign_keys_cost_no_query(two):
    """Saving an object read from the database checks only the keys that changed."""
    a, _b = two
    app_model = registry.by_singular("application").model
    app = make(app_model, a, vendor=make(registry.by_singular("party").model, a))
    app = app_model.objects.get(pk=app.pk)
    app.name = "renamed"
    with CaptureQueriesContext(connection) as saved:
        app.save()
    assert not [q for q in saved.captured_queries if "vendors_externalparty" in q["sql"]]


def test_document_link_to_another_workspace_is_refused(two):
    from mue.documents.models import DocumentLink

    a, b = two
    document = make(registry.by_singular("document").model, a)
    outside = make(registry.by_singular("application").model, b)
    with pytest.raises(CrossWorkspaceReference):
        DocumentLink.objects.create(document=document, target_type="application", target_id=outside.pk)
    assert not DocumentLink.objects.exists()
    inside = make(registry.by_singular("application").model, a)
    DocumentLink.objects.create(document=document, target_type="application", target_id=inside.pk)


def test_an_object_with_links_cannot_move_workspace(two):
    a, b = two
    app_model = registry.by_singular("application").model
    app = make(app_model, a)
    app.assets.add(make(registry.by_singular("asset").model, a))
    app = app_model.objects.get(pk=app.pk)
    app.workspace = b
    with pytest.raises(CrossWorkspaceReference):
        app.save()


def test_admin_form_turns_it_into_a_form_error(two, admin_client):
    a, b = two
    app_model = registry.by_singular("application").model
    app = make(app_model, a)
    outside = make(registry.by_singular("party").model, b)
    url = f"/admin/applications/application/{app.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert f"?workspace={a.pk}" in page.content.decode()  # the autocomplete asks for this workspace only
    data = {"slug": app.slug, "name": app.name, "kind": app.kind, "status": app.status, "vendor": outside.pk,
            "tags": ""}
    for f in app_model._meta.concrete_fields:
        if f.name not in data and not f.is_relation and f.editable and f.name not in ("id", "created", "updated"):
            value = getattr(app, f.attname)
            data[f.name] = "" if value is None else ("on" if value is True else value)
    data = {k: v for k, v in data.items() if v is not False}
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the form again, with its error; not a 500
    app.refresh_from_db()
    assert app.vendor_id is None
    autocomplete = admin_client.get("/admin/autocomplete/", {
        "app_label": "applications", "model_name": "application", "field_name": "vendor", "term": "",
        "workspace": a.pk})
    assert autocomplete.status_code == 200
    assert str(outside.pk) not in {r["id"] for r in autocomplete.json()["results"]}


# -- mue check ------------------------------------------------------------------------------------------


def _check(*args: str):
    from mue.cli.main import app

    return CliRunner().invoke(app, ["check", *args])


def test_check_finds_links_written_past_the_signals(two):
    a, b = two
    app_model = registry.by_singular("application").model
    party_model = registry.by_singular("party").model
    app, outside = make(app_model, a), make(party_model, b)
    clean = _check("--json")
    assert clean.exit_code == 0, clean.output
    assert json.loads(clean.output)["cross_workspace_links"] == []

    app_model.objects.filter(pk=app.pk).update(vendor=outside)  # QuerySet.update sends no signal
    asset = make(registry.by_singular("asset").model, b)
    through = app_model.assets.through
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {connection.ops.quote_name(through._meta.db_table)} "
                       "(application_id, asset_id) VALUES (%s, %s)", [app.pk, asset.pk])
    found = _check("--json")
    assert found.exit_code == 1
    links = json.loads(found.output)["cross_workspace_links"]
    relations = {(link["relation"], link["object"], link["workspace"], link["target"], link["target_workspace"])
                 for link in links}
    assert relations == {("applications.Application.vendor", app.slug, "ws-a", outside.slug, "ws-b"),
                         ("applications.Application.assets", app.slug, "ws-a", asset.slug, "ws-b")}
    text = _check()
    assert text.exit_code == 1 and app.slug in text.output


def test_check_sends_one_query_per_relation(two):
    with CaptureQueriesContext(connection) as queries:
        integrity.find_cross_links()
    generic = sum(1 for _name, (kind, _m, _f) in integrity.relations() if kind == "generic")
    plain = len(integrity.relations()) - generic
    assert len(queries.captured_queries) == plain + generic * len(registry)


def test_check_finds_side_table_and_generic_links(two):
    from mue.documents.models import DocumentLink

    a, b = two
    document = make(registry.by_singular("document").model, a)
    outside = make(registry.by_singular("application").model, b)
    DocumentLink.objects.bulk_create([DocumentLink(document=document, target_type="application",
                                                   target_id=outside.pk)])  # no signal
    usage = make(_model("usage.UsageObservation"), a)
    type(usage).objects.filter(pk=usage.pk).update(application=outside)
    found = {link.relation for link in integrity.find_cross_links()}
    assert {"documents.DocumentLink.target", "usage.UsageObservation.application"} <= found


def _model(label: str):
    from django.apps import apps

    return apps.get_model(label)
