"""Query counts of every list, detail, import and export path: the same for a workspace three times larger.

Two synthetic workspaces (size S and 3 × S, same shapes) are compared path by path; a count that
grows with the rows (a query per object, per link, per page of ids) fails here.
"""

from __future__ import annotations

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mue.synthetic.generator import Generator

pytestmark = pytest.mark.django_db


def _document(workspace: str, scale: int) -> dict:
    generator = Generator("S", 11, workspace=workspace)
    # Custom fields keep their number (one of each kind): only the objects holding values grow.
    generator.counts = {key: n if key == "custom_fields" else n * scale for key, n in generator.counts.items()}
    return generator.document()


def _queries(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


@pytest.fixture
def workspaces(db):
    from mue.core.models import Workspace
    from mue.interchange.importer import import_document

    import_document(_document("small", 1))
    import_document(_document("big", 3))
    return Workspace.objects.get(slug="small"), Workspace.objects.get(slug="big")


def test_export_queries_do_not_grow_with_rows(workspaces):
    from mue.interchange.exporter import export_workspace

    small, big = workspaces
    assert _queries(lambda: export_workspace(small)) == _queries(lambda: export_workspace(big))


def test_import_queries_do_not_grow_with_rows():
    from mue.interchange.importer import import_document

    small, big = _document("new-small", 1), _document("new-big", 3)
    created = (_queries(lambda: import_document(copy.deepcopy(small))),
               _queries(lambda: import_document(copy.deepcopy(big))))
    assert created[0] == created[1]
    unchanged = (_queries(lambda: import_document(copy.deepcopy(small))),
                 _queries(lambda: import_document(copy.deepcopy(big))))
    assert unchanged[0] == unchanged[1]
    for doc in (small, big):  # change every flow and its links: updates, link removals and additions
        for flow in doc["flows"]:
            flow["frequency"] = "yearly"
            flow["data"] = sorted({*flow.get("data", [])[:1], "data-0000"})
    changed = (_queries(lambda: import_document(small)), _queries(lambda: import_document(big)))
    assert changed[0] == changed[1]


@pytest.fixture
def admin_client_(workspaces, client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(user)
    client.get(reverse("admin:index"))  # the first request of a user creates their profile: not a list's cost
    return client


def _registered_types():
    from mue.core.registry import build

    return list(build())


@pytest.mark.parametrize("otype", _registered_types(), ids=lambda t: t.key)
def test_admin_list_and_detail_queries_do_not_grow_with_rows(otype, workspaces, admin_client_):
    meta = otype.model._meta
    changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    counts, pages = [], []
    for ws in workspaces:
        def page(ws=ws):
            response = admin_client_.get(changelist, {"workspace__id__exact": ws.id})
            assert response.status_code == 200
            pages.append(response)

        counts.append(_queries(page))
    assert counts[0] == counts[1], f"{otype.key} list: {counts}"
    shown = len(pages[1].context["cl"].result_list)
    assert shown == min(50, otype.model.objects.filter(workspace=workspaces[1]).count())

    small_obj, big_obj = _comparable_objects(otype.model, workspaces)
    _add_links(small_obj, 1)  # every many-to-many field shows something on both pages,
    _add_links(big_obj, 30)  # and the big one many more related rows
    urls = [reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]) for obj in (small_obj, big_obj)]
    admin_client_.get(urls[0])  # warm-up: per-process caches (content types, sessions) are not the page's cost
    details = [_queries(lambda url=url: admin_client_.get(url)) for url in urls]
    assert details[0] == details[1], f"{otype.key} detail: {details}"


def _foreign_keys(model) -> list:
    return [f for f in model._meta.concrete_fields if f.is_relation and f.name != "workspace"]


def _comparable_objects(model, workspaces):
    """An object of each workspace with the same foreign keys and custom values set: each set one shows
    its target's name (one query per field, not per row; the linked objects of custom values in one), so
    only objects alike in that are compared."""
    def pattern(obj) -> tuple:
        return [getattr(obj, f.attname) is None for f in _foreign_keys(model)], bool(getattr(obj, "custom", {}))

    bigs = list(model.objects.filter(workspace=workspaces[1]).order_by("slug")[:2000])
    for small in model.objects.filter(workspace=workspaces[0]).order_by("slug")[:50]:
        for big in bigs:
            if pattern(big) == pattern(small):
                return small, big
    raise AssertionError(f"no {model.__name__} of the big workspace has the foreign keys of one of the small one")


def _add_links(obj, n: int) -> None:
    from mue.applications.models import Application
    from mue.documents.models import Document, DocumentLink

    for f in type(obj)._meta.many_to_many:
        targets = f.related_model.objects.filter(workspace_id=obj.workspace_id).exclude(pk=obj.pk)[:n]
        getattr(obj, f.name).add(*targets)
    if isinstance(obj, Document):
        apps = Application.objects.filter(workspace_id=obj.workspace_id).exclude(
            pk__in=obj.links.filter(target_type="application").values("target_id"))[:n]
        DocumentLink.objects.bulk_create(DocumentLink(document=obj, target_type="application", target_id=a.pk)
                                         for a in apps)


def test_change_log_list_queries_do_not_grow_with_rows(workspaces, admin_client_):
    url = reverse("admin:core_changelogentry_changelist")
    counts = [_queries(lambda ws=ws: admin_client_.get(url, {"workspace__id__exact": ws.id})) for ws in workspaces]
    assert counts[0] == counts[1]
