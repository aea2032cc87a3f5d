"""Global search across every type of the workspaces the user may read, ranked, as you type.

One query per type, each through the permission gate (``for_user``) and limited, ranked in SQL:
an exact slug or name first, then names that start with the text, names that contain it, and
matches in the slug or description last.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mue.core.registry import ObjectType, registry
from mue.web.spec import object_url
from mue.web.views.base import signed_in

PER_TYPE = 8
SHOWN = 40
MIN_LENGTH = 2


@dataclass
class Hit:
    otype: ObjectType
    name: str
    slug: str
    workspace_name: str
    url: str
    rank: int


def _hits(otype: ObjectType, user, text: str) -> list[Hit]:
    condition = Q(slug__icontains=text) | Q(name__icontains=text) | Q(description__icontains=text)
    rank = Case(
        When(Q(slug__iexact=text) | Q(name__iexact=text), then=Value(0)),
        When(name__istartswith=text, then=Value(1)),
        When(name__icontains=text, then=Value(2)),
        When(slug__icontains=text, then=Value(3)),
        default=Value(4), output_field=IntegerField(),
    )
    rows = (otype.model.objects.for_user(user, "view").filter(condition).annotate(rank=rank, folded=Lower("name"))
            .order_by("rank", "folded", "pk").values_list("name", "slug", "workspace__slug", "workspace__name", "rank")
            [:PER_TYPE])
    return [Hit(otype, name, slug, ws_name, object_url(ws_slug, otype, slug), rank)
            for name, slug, ws_slug, ws_name, rank in rows]


def search_register(user, text: str) -> list[Hit]:
    """The best matches of ``text`` in every type the user may read, best first."""
    text = text.strip()[:100]
    if len(text) < MIN_LENGTH:
        return []
    hits = [hit for otype in registry for hit in _hits(otype, user, text)]
    return sorted(hits, key=lambda h: (h.rank, h.name.lower()))[:SHOWN]


@signed_in
def global_search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")
    results = search_register(request.user, text)
    context = {"results": results, "search_query": text, "too_short": 0 < len(text.strip()) < MIN_LENGTH}
    template = "web/_search_results.html" if request.htmx else "web/search.html"
    return render(request, template, context)
