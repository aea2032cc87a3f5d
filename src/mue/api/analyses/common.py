"""What the analysis endpoints share: JSON answers, the page size, dates and integers from the query."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from mue.api.errors import invalid
from mue.web import keyset


def page_size(request: HttpRequest) -> int:
    """The ``limit`` asked for: one of the page sizes of every list (422 otherwise)."""
    return page_limit(request.GET.get("limit"))


def page_limit(value: str | None) -> int:
    if value is None or value == "":
        return keyset.DEFAULT_PAGE_SIZE
    if not value.isdigit() or int(value) not in keyset.PAGE_SIZES:
        raise invalid([{"field": "limit", "message": _("one of %(sizes)s") % {
            "sizes": ", ".join(map(str, keyset.PAGE_SIZES))}}])
    return int(value)


def cursor_page(request: HttpRequest, queryset, path: str, descending: bool) -> keyset.Page:
    """The page of ``queryset`` sorted on ``path`` (then id) after/before the request's cursor."""
    after, before = request.GET.get("after"), request.GET.get("before")
    for name, value in (("after", after), ("before", before)):
        if value and keyset.decode(value) is None:
            raise invalid([{"field": name, "message": _("not a cursor of this list")}])
    return keyset.paginate(queryset, path, descending, False, page_size(request), after=after, before=before)


def iso_date(value: str | None, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise invalid([{"field": field, "message": _("a date as YYYY-MM-DD is expected")}]) from None


def when(value: dt.datetime | dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def query_parameter(name: str, schema: dict[str, Any], description: str, required: bool = False) -> dict[str, Any]:
    return {"in": "query", "name": name, "required": required, "schema": schema, "description": description}


LIMIT_PARAMETER = query_parameter("limit", {"type": "integer", "enum": list(keyset.PAGE_SIZES),
                                            "default": keyset.DEFAULT_PAGE_SIZE}, "Items per page.")
AFTER_PARAMETER = query_parameter("after", {"type": "string", "maxLength": 400}, "A next_cursor: the page after it.")
