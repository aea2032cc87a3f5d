"""Keyset (cursor) pagination: the last page of 100,000 flows costs what the first does.

A page is fetched with ``WHERE (sort, id) > (last seen)`` and ``LIMIT n + 1`` instead of an
``OFFSET``; the cursor in the URL is the sort value and id of the row the page starts after (or ends
before, for the previous page). Sorting by a nullable column puts empty values last in both
directions, written out as explicit conditions so SQLite and PostgreSQL agree.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet

PAGE_SIZES = (25, 50, 100, 250, 500, 1000)
DEFAULT_PAGE_SIZE = 50


@dataclass
class Page:
    rows: list[Any]
    size: int
    has_next: bool
    has_previous: bool
    next_cursor: str | None
    previous_cursor: str | None
    total: int | None = None


def encode(value: Any, pk: int) -> str:
    raw = json.dumps([_plain(value), pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str) -> tuple[Any, int] | None:
    """The (value, id) a cursor holds, or None when it is not one of ours (a bad URL shows page one)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        return value, int(pk)
    except (ValueError, TypeError):
        return None


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _after(path: str, value: Any, pk: int, descending: bool, nullable: bool) -> Q:
    """Rows that come after (value, pk) in the order (path [desc] nulls last, pk [desc])."""
    pk_after = Q(pk__lt=pk) if descending else Q(pk__gt=pk)
    if value is None:  # among the empty values, which come last: only larger (smaller) ids follow
        return Q(**{f"{path}__isnull": True}) & pk_after
    beyond = Q(**{f"{path}__lt" if descending else f"{path}__gt": value})
    same = Q(**{path: value}) & pk_after
    condition = beyond | same
    if nullable:
        condition |= Q(**{f"{path}__isnull": True})
    return condition


def _before(path: str, value: Any, pk: int, descending: bool, nullable: bool) -> Q:
    """Rows that come before (value, pk) in that same order."""
    pk_before = Q(pk__gt=pk) if descending else Q(pk__lt=pk)
    if value is None:
        return Q(**{f"{path}__isnull": False}) | (Q(**{f"{path}__isnull": True}) & pk_before)
    ahead = Q(**{f"{path}__gt" if descending else f"{path}__lt": value})
    return ahead | (Q(**{path: value}) & pk_before)


def _ordering(path: str, descending: bool, backwards: bool) -> list:
    """ORDER BY of a page: the shown order (empty values last), or its exact opposite to read backwards."""
    if not backwards:
        column = F(path).desc(nulls_last=True) if descending else F(path).asc(nulls_last=True)
        return [column, "-pk" if descending else "pk"]
    column = F(path).asc(nulls_first=True) if descending else F(path).desc(nulls_first=True)
    return [column, "pk" if descending else "-pk"]


def value_at(row: Any, path: str) -> Any:
    """The sort value of a fetched row (``vendor__name`` follows the selected related object)."""
    value = row
    for part in path.split("__"):
        if value is None:
            return None
        value = getattr(value, part)
    return value


def paginate(queryset: QuerySet, path: str, descending: bool, nullable: bool, size: int,
             after: str | None = None, before: str | None = None, last: bool = False) -> Page:
    """One page of ``queryset`` in the order of ``path`` (then id), starting after/ending before a cursor.

    ``last=True`` gives the last page (read backwards from the end): as cheap as the first.
    """
    size = size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE
    backwards = before is not None or last
    qs = queryset
    cursor = decode(after) if after else decode(before) if before else None
    if cursor is not None:
        value, pk = cursor
        qs = qs.filter(_before(path, value, pk, descending, nullable) if before else
                       _after(path, value, pk, descending, nullable))
    elif before:
        backwards = False  # an unreadable cursor: the first page
    rows = list(qs.order_by(*_ordering(path, descending, backwards))[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
        has_previous, has_next = more, (cursor is not None and not last)
    else:
        has_next, has_previous = more, cursor is not None

    def key(row: Any) -> str:
        return encode(value_at(row, path), row.pk)

    return Page(
        rows=rows, size=size, has_next=has_next, has_previous=has_previous,
        next_cursor=key(rows[-1]) if rows and has_next else None,
        previous_cursor=key(rows[0]) if rows and has_previous else None,
    )
