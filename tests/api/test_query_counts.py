"""Every type's API list sends as many queries for 10 objects as for 1,000, whatever the page size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mue.api.tokens import create_token
from mue.core.models import Membership
from mue.core.registry import registry
from mue.web.spec import type_segment
from tests.api.conftest import ApiClient
from tests.web.test_query_counts import _document

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def sized(django_db_setup, django_db_blocker):
    from mue.core.models import Workspace
    from mue.interchange.importer import import_document

    with django_db_blocker.unblock():
        import_document(_document("api-ten", 10))
        import_document(_document("api-thousand", 1000))
        yield Workspace.objects.get(slug="api-ten"), Workspace.objects.get(slug="api-thousand")
        Workspace.objects.filter(slug__in=["api-ten", "api-thousand"]).delete()


@pytest.fixture
def api(sized, django_user_model):
    user = django_user_model.objects.create_user("counter", password="pw-123456789")
    for ws in sized:
        Membership.objects.create(workspace=ws, user=user, role="owner")
    return ApiClient(create_token(user, "counts")[1])


def _queries(api: ApiClient, url: str, **params) -> int:
    api.get(url, **params)
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url, **params)
    assert response.status_code == 200, (url, response.content[:300])
    return len(ctx.captured_queries)


@pytest.mark.parametrize("key", [t.key for t in registry])
def test_api_lists_do_not_grow_with_rows_or_page_size(key, sized, api):
    segment = type_segment(registry[key])
    counts = [_queries(api, f"/api/v1/workspaces/{ws.slug}/{segment}", **params)
              for ws in sized for params in ({"limit": 25}, {"limit": 1000}, {"last": "true", "limit": 100},
                                             {"sort": "-name"})]
    # A page whose objects reference nothing skips the slugs' query: the bound is what a page referencing
    # other objects costs, fixed by the type's fields, never by the rows or the page size.
    assert max(counts) <= _bound(key), f"{key}: {counts}"
    assert max(counts) == _bound(key) or key not in ("applications", "flows"), f"{key}: {counts}"


def _bound(key: str) -> int:
    """Token, workspace, the page's keys, its rows; one for the pairs of every many-to-many field, one for
    the links; one for the slugs of every type the page references (each a UNION ALL)."""
    otype = registry[key]
    links = any(mf.kind == "links" for mf in otype.fields)
    return 4 + 1 + bool(otype.m2m_fields) + links
