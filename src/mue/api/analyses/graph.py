"""The dependency graph through the API: impact and reverse impact of an object, the single points of
failure, the lineage of a data category. Each answer is the ``--json`` of the matching command
(``mue impact``, ``mue spof``, ``mue lineage``), from the same functions."""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from mue.api.analyses.common import query_parameter
from mue.api.auth import workspace_for
from mue.api.errors import ERROR_RESPONSES, ApiError, invalid
from mue.graph.build import NODE_TYPES, build_graph
from mue.graph.lineage import UnknownCategory, lineage
from mue.graph.resolve import ResolveError, node_type, resolve
from mue.graph.spof import single_points_of_failure, spof_as_dict
from mue.graph.traverse import impact

router = Router(tags=["Graph"])


class Step(Schema):
    object: str = Field(description="type:slug")
    via: str | None = Field(None, description="The kind of link followed to reach it.")


class Reached(Schema):
    type: str
    slug: str
    name: str
    hops: int
    effect: str
    criticality: int | None = None
    rto_hours: float | None = None
    path: list[Step] = []


class ObjectRef(Schema):
    type: str
    slug: str
    name: str


class Summary(Schema):
    service: str
    path: list[Step]
    criticality: float | None = None
    rto_hours: float | None = None


class ImpactOut(Schema):
    workspace: str
    object: ObjectRef
    direction: str = Field(description="impact (what stops if it fails) or dependencies (what it rests on)")
    data_dependencies: bool
    counts: dict[str, int]
    counts_by_effect: dict[str, dict[str, int]]
    worst_criticality: Summary | None
    shortest_rto: Summary | None
    reached: list[Reached]


class SpofService(Schema):
    slug: str
    name: str
    criticality: int
    path: list[Step]


class SinglePoint(Schema):
    type: str
    slug: str
    name: str
    worst_criticality: int
    services: list[SpofService]


class SpofOut(Schema):
    workspace: str
    single_points_of_failure: list[SinglePoint]


class LineageStep(Schema):
    object: str
    flow: str | None = None


class LineageReached(Schema):
    type: str
    slug: str
    name: str
    hops: int
    holds: bool
    origin: bool
    country: str | None
    zone: str
    path: list[LineageStep]


class Category(Schema):
    slug: str
    name: str
    personal_data: str | None = Field(None, description="none, personal, sensitive or criminal")


class LineageOut(Schema):
    workspace: str
    category: Category
    reached: list[LineageReached]
    exits: list[dict[str, Any]]


def _answer(data: dict[str, Any]) -> HttpResponse:
    # The graph's values are numpy numbers; orjson writes them as JSON numbers.
    return HttpResponse(orjson.dumps(data, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS),
                        content_type="application/json")


def _flag(request: HttpRequest, name: str, default: bool) -> bool:
    value = request.GET.get(name)
    if value in (None, ""):
        return default
    if value.lower() not in ("true", "false", "1", "0"):
        raise invalid([{"field": name, "message": _("true or false")}])
    return value.lower() in ("true", "1")


@router.get("/workspaces/{workspace}/graph/impact/{object_type}/{slug}", response={200: ImpactOut, **ERROR_RESPONSES},
            operation_id="object_impact", summary="What stops if an object fails (or, reverse, what it rests on)",
            openapi_extra={"parameters": [
                query_parameter("reverse", {"type": "boolean", "default": False},
                                "What the object depends on instead of what depends on it."),
                query_parameter("data", {"type": "boolean", "default": True},
                                "Also follow data flows (what only loses a data feed)."),
                query_parameter("paths", {"type": "boolean", "default": True},
                                "The path explaining each object reached.")]})
def object_impact(request: HttpRequest, workspace: str, object_type: str, slug: str) -> HttpResponse:
    ws = workspace_for(request, workspace)
    reverse, data, paths = _flag(request, "reverse", False), _flag(request, "data", True), _flag(request, "paths", True)
    try:
        wanted = node_type(object_type)
    except ResolveError:
        raise ApiError(404, "not_found", _("The graph has no objects of type '%(type)s' (types: %(types)s).") % {
            "type": object_type, "types": ", ".join(NODE_TYPES)}) from None
    graph = build_graph(ws)
    try:
        node = resolve(graph, slug, wanted)
    except ResolveError as exc:
        raise ApiError(404, "not_found", exc.message) from None
    return _answer(impact(graph, node, reverse=reverse, include_data=data).as_dict(paths=paths))


@router.get("/workspaces/{workspace}/graph/spof", response={200: SpofOut, **ERROR_RESPONSES},
            operation_id="single_points_of_failure",
            summary="Applications and assets whose loss alone stops a critical service",
            openapi_extra={"parameters": [query_parameter(
                "min_criticality", {"type": "integer", "minimum": 1, "maximum": 4, "default": 3},
                "Consider the services of at least this criticality.")]})
def spof(request: HttpRequest, workspace: str) -> HttpResponse:
    ws = workspace_for(request, workspace)
    level = request.GET.get("min_criticality", "3")
    if level not in ("1", "2", "3", "4"):
        raise invalid([{"field": "min_criticality", "message": _("1, 2, 3 or 4")}])
    graph = build_graph(ws)
    return _answer(spof_as_dict(graph, single_points_of_failure(graph, int(level))))


@router.get("/workspaces/{workspace}/graph/lineage/{category}", response={200: LineageOut, **ERROR_RESPONSES},
            operation_id="data_lineage", summary="Where a data category goes through the flows, and where it leaves "
                                                 "the EU")
def data_lineage(request: HttpRequest, workspace: str, category: str) -> HttpResponse:
    ws = workspace_for(request, workspace)
    graph = build_graph(ws)
    try:
        result = lineage(graph, category)
    except UnknownCategory as exc:
        raise ApiError(404, "not_found", str(exc)) from None
    return _answer(result.as_dict())
