"""Every list and detail page of every type sends as many queries for 10 objects as for 1,000."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mue.core.models import Membership
from mue.core.registry import registry
from mue.synthetic.generator import Generator
from mue.web.spec import spec_for, type_segment
from tests.synthetic.test_query_counts import _add_links, _comparable_objects

pytestmark = pytest.mark.django_db


def _document(workspace: str, per_type: int) -> dict:
    generator = Generator("S", 11, workspace=workspace)
    generator.counts = {key: per_type for key in generator.counts}
    return generator.document()


@pytest.fixture(scope="module")
def sized(django_db_setup, django_db_blocker):
    """Two workspaces of the same shapes, 10 and 1,000 objects of each type, built once for the module."""
    from mue.core.models import Workspace
    from mue.interchange.importer import import_document

    with django_db_blocker.unblock():
        import_document(_document("ten", 10))
        import_document(_document("thousand", 1000))
        yield Workspace.objects.get(slug="ten"), Workspace.objects.get(slug="thousand")
        Workspace.objects.filter(slug__in=["ten", "thousand"]).delete()


@pytest.fixture
def member(sized, client, django_user_model):
    user = django_user_model.objects.create_user("counter", password="pw-123456789")
    for ws in sized:
        Membership.objects.create(workspace=ws, user=user, role="owner")
    client.force_login(user)
    return client


def _queries(client, url: str) -> int:
    client.get(url)  # warm-up: per-process caches (sessions, content types) are not the page's cost
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("key", [t.key for t in registry])
def test_list_pages_do_not_grow_with_rows(key, sized, member):
    otype = registry[key]
    every_column = "&".join(f"columns={c.key}" for c in spec_for(key).columns)
    for query in ("", f"?{every_column}&per_page=100", "?page=last", "?q=a&sort=-name"):
        counts = [_queries(member, f"/w/{ws.slug}/{type_segment(otype)}/{query}") for ws in sized]
        assert counts[0] == counts[1], f"{key} list {query or '(default)'}: {counts}"
    member.get(f"/w/{sized[0].slug}/{type_segment(otype)}/?columns=name")  # back to a short column set


@pytest.mark.parametrize("key", [t.key for t in registry])
def test_detail_pages_do_not_grow_with_links(key, sized, member):
    otype = registry[key]
    small, big = _comparable_objects(otype.model, sized)
    if key == "documents":  # its subjects and their history cost one query per type linked: same shapes
        small, big = (_document_about_services(ws, n) for ws, n in zip(sized, (1, 40), strict=True))
    _add_links(small, 1)
    _add_links(big, 40)
    counts = [_queries(member, f"/w/{obj.workspace.slug}/{type_segment(otype)}/{obj.slug}/") for obj in (small, big)]
    assert counts[0] == counts[1], f"{key} detail: {counts}"


@pytest.mark.parametrize("key", [t.key for t in registry])
def test_exports_do_not_grow_with_rows(key, sized, member):
    otype = registry[key]
    counts = [_queries(member, f"/w/{ws.slug}/{type_segment(otype)}/export.csv") for ws in sized]
    assert counts[0] == counts[1], f"{key} export: {counts}"


def _document_about_services(workspace, n: int):
    """A new document about ``n`` services and ``n`` applications, linked through the ORM (logged)."""
    from mue.applications.models import Application
    from mue.documents.models import Document, DocumentLink
    from mue.services.models import Service

    doc = Document.objects.create(workspace=workspace, slug=f"about-{n}", name=f"About {n}", kind="procedure")
    for model, kind in ((Service, "service"), (Application, "application")):
        for target in model.objects.filter(workspace=workspace).order_by("pk")[:n]:
            DocumentLink.objects.create(document=doc, target_type=kind, target_id=target.pk)
    return doc
