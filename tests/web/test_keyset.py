"""Keyset pages: walking forwards from the first page or backwards from the last gives every row once,
in the order shown, with empty values last — on a nullable column, in both directions."""

from __future__ import annotations

import pytest
from django.db.models import F

from mue.applications.models import Application
from mue.core.models import Workspace
from mue.web import keyset

pytestmark = pytest.mark.django_db


@pytest.fixture
def apps(db):
    ws = Workspace.objects.create(slug="k", name="K")
    seats = [5, None, 3, 5, None, 1, 8, 3, None, 5, 2, None, 7]
    Application.objects.bulk_create(Application(workspace=ws, slug=f"a{i:02d}", name=f"App {i % 4}", kind="saas",
                                                seats=s) for i, s in enumerate(seats))
    return Application.objects.filter(workspace=ws)


def _expected(qs, path, descending):
    column = F(path).desc(nulls_last=True) if descending else F(path).asc(nulls_last=True)
    return list(qs.order_by(column, "-pk" if descending else "pk").values_list("pk", flat=True))


@pytest.mark.parametrize("path,nullable", [("seats", True), ("name", False)])
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("size", [25, 1000])
def test_walking_forwards_and_backwards(apps, path, nullable, descending, size, monkeypatch):
    monkeypatch.setattr(keyset, "PAGE_SIZES", (2, 3, 25, 1000))
    expected = _expected(apps, path, descending)
    for page_size in (2, 3):
        seen, cursor, pages = [], None, 0
        while True:
            page = keyset.paginate(apps, path, descending, nullable, page_size, after=cursor)
            seen += [row.pk for row in page.rows]
            pages += 1
            assert page.has_previous == (pages > 1)
            if not page.has_next:
                break
            cursor = page.next_cursor
        assert seen == expected
        back, page = [], keyset.paginate(apps, path, descending, nullable, page_size, last=True)
        while True:
            back = [row.pk for row in page.rows] + back
            if not page.has_previous:
                break
            page = keyset.paginate(apps, path, descending, nullable, page_size, before=page.previous_cursor)
        assert back == expected
    whole = keyset.paginate(apps, path, descending, nullable, size)
    assert [r.pk for r in whole.rows] == expected[:size] and not whole.has_next


def test_a_cursor_that_is_not_ours_shows_the_first_page(apps):
    page = keyset.paginate(apps, "name", False, False, 25, after="not-a-cursor")
    assert [r.pk for r in page.rows] == _expected(apps, "name", False)[:25]
    assert keyset.decode("!!!") is None
