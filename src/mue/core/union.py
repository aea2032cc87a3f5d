"""Rows of several tables in one query: ``UNION ALL`` of querysets, each row tagged with its part."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import QuerySet, Value


def union_rows(parts: Sequence[QuerySet], fields: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """``(n, *fields)`` for the rows of every queryset of ``parts`` (``n``: its index), in one query.

    A page naming objects of many types (a history, an export) reads their slugs and names this way
    rather than with a query per type: the number of queries no longer depends on the data.
    """
    tagged = [qs.order_by().annotate(mue_part=Value(n)).values_list("mue_part", *fields)
              for n, qs in enumerate(parts)]
    if not tagged:
        return iter(())
    return iter(tagged[0].union(*tagged[1:], all=True) if len(tagged) > 1 else tagged[0])
