"""The endpoints of every register type, derived from the registry: one factory, no per-type code.

For each type (``/workspaces/{workspace}/applications`` …, the web pages' segment):

- ``GET``    list: the web list's filters, keyset pages (``after``/``before``/``last``), ``sort``, ``fields``;
- ``POST``   create one object (409 if the slug is taken);
- ``POST …/bulk`` upsert many by slug, all or nothing, with the importer's problem list;
- ``GET …/{slug}`` one object, with its ``ETag``; ``PATCH`` changes some keys, ``DELETE`` removes it;
  both honour ``If-Match`` (412 when the object changed since it was read).

Reads go through the rows of the workspace the permission gate returned; writes go through the
importer (the rules and messages of map files, spreadsheets and forms) or the ORM delete, in one
transaction each, logged in the change log with the caller as actor and ``api`` as source.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpRequest, HttpResponse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from ninja import Router

from mue.api import schemas
from mue.api.analyses.common import page_limit
from mue.api.auth import caller, workspace_for
from mue.api.errors import ERROR_RESPONSES as ERRORS
from mue.api.errors import ApiError, Error, invalid, problems
from mue.core import custom
from mue.core.access import Action
from mue.core.changelog import change_context
from mue.core.models import Workspace
from mue.core.registry import ObjectType, registry
from mue.interchange.exporter import export_items
from mue.interchange.importer import ImportFailed, ImportReport, import_document
from mue.interchange.schema import required_keys
from mue.interchange.sources import path_label
from mue.web import keyset
from mue.web.filters import filterset_for
from mue.web.spec import spec_for, type_segment

#: Query parameters of every list that are not filters.
PAGING_KEYS = frozenset({"sort", "limit", "after", "before", "last", "fields"})


def json_response(data: Any, status: int = 200, etag: str | None = None) -> HttpResponse:
    response = HttpResponse(orjson.dumps(data), status=status, content_type="application/json")
    if etag:
        response["ETag"] = etag
    return response


def etag_of(item: dict[str, Any]) -> str:
    """A strong validator of an object's representation: any change of any key changes it."""
    return '"' + hashlib.sha256(orjson.dumps(item, option=orjson.OPT_SORT_KEYS)).hexdigest()[:32] + '"'


def _matches(header: str, etag: str) -> bool:
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags


def read_body(request: HttpRequest) -> Any:
    raw = request.body
    if not raw.strip():
        raise ApiError(400, "invalid_json", _("The request needs a JSON body."))
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ApiError(400, "invalid_json", _("The body is not valid JSON: %(error)s") % {"error": exc}) from None


@contextmanager
def writing(request: HttpRequest) -> Iterator[None]:
    """One transaction per write request, logged with the caller as actor and ``api`` as source."""
    user = caller(request)
    with transaction.atomic(), change_context(actor_name=user.get_username(), source="api", actor_id=user.pk):
        yield


def _locate(path: tuple) -> tuple[tuple, str]:
    index = path[1] if len(path) > 1 and isinstance(path[1], int) else -1
    return (index, path_label(path)), path_label(path)


def import_items(workspace: Workspace, otype: ObjectType, items: list, bulk: bool) -> ImportReport:
    """Validate and write map items through the one import pipeline (422 with every problem)."""
    try:
        return import_document({otype.key: items}, source="api", locate=_locate, workspace=workspace.slug,
                               channel="api")
    except ImportFailed as exc:
        raise problems(exc.problems, bulk) from None


def items_of(otype: ObjectType, queryset) -> list[dict[str, Any]]:
    return export_items(otype, queryset, complete=True)


def _fields(request: HttpRequest, otype: ObjectType) -> list[str] | None:
    wanted = [k.strip() for v in request.GET.getlist("fields") for k in v.split(",") if k.strip()]
    if not wanted:
        return None
    known = schemas.field_keys(otype)
    unknown = [k for k in wanted if k not in known]
    if unknown:
        raise invalid([{"field": "fields", "message": _("unknown key '%(key)s' (known: %(known)s)") % {
            "key": unknown[0], "known": ", ".join(known)}}])
    return wanted


def _only(item: dict[str, Any], fields: list[str] | None) -> dict[str, Any]:
    return item if fields is None else {k: item[k] for k in fields if k in item}


class TypeEndpoints:
    """The endpoints of one register type."""

    def __init__(self, otype: ObjectType) -> None:
        self.otype = otype
        self.model = otype.model

    def get(self, workspace: Workspace, slug: str, lock: bool = False) -> Any:
        rows = self.model.objects.filter(workspace=workspace, slug=slug)
        obj = (rows.select_for_update() if lock else rows).only("pk", "slug").first()
        if obj is None:
            raise ApiError(404, "not_found", _("No %(type)s '%(slug)s' in this workspace.") % {
                "type": self.otype.label, "slug": slug})
        return obj

    def item(self, obj: Any) -> dict[str, Any]:
        return items_of(self.otype, self.model.objects.filter(pk=obj.pk))[0]

    # -- list ------------------------------------------------------------------------------------

    def list(self, request: HttpRequest, workspace: str) -> HttpResponse:
        ws = workspace_for(request, workspace)
        otype, params = self.otype, request.GET
        fields = _fields(request, otype)
        rows = self.model.objects.filter(workspace=ws)
        # The filter set is built only when a filter is asked for: binding it costs a third of a page.
        if set(params) - PAGING_KEYS:
            defined = custom.definitions(ws, otype.key)  # their filters: ?cf_<slug>=
            filterset = filterset_for(otype.key, defined)(params, queryset=rows, workspace=ws)
            if not filterset.is_valid():
                raise invalid([{"field": name, "message": " ".join(messages)}
                               for name, messages in filterset.errors.items()])
            rows = filterset.qs
        spec = spec_for(otype.key)
        wanted = params.get("sort", "name")
        column = spec.column(wanted.removeprefix("-"))
        if column is None or column.sort is None:
            raise invalid([{"field": "sort", "message": _("cannot sort by '%(key)s' (one of %(keys)s)") % {
                "key": wanted, "keys": ", ".join(schemas.sort_keys(otype))}}])
        size = self._size(params.get("limit"))
        for name in ("after", "before"):
            if params.get(name) and keyset.decode(params[name]) is None:
                raise invalid([{"field": name, "message": _("not a cursor of this list")}])
        # The page is found on the sort key alone, then its objects are read as map items.
        fetch = rows.select_related(*column.select).only("pk", "slug", column.sort)
        page = keyset.paginate(fetch, column.sort, wanted.startswith("-"), column.nullable, size,
                               after=params.get("after"), before=params.get("before"),
                               last=params.get("last") in ("true", "1", "True"))
        slugs = [row.slug for row in page.rows]
        by_slug = {item["slug"]: item for item in items_of(otype, self.model.objects.filter(
            pk__in=[row.pk for row in page.rows]))}
        return json_response({"items": [_only(by_slug[s], fields) for s in slugs],
                              "next_cursor": page.next_cursor, "previous_cursor": page.previous_cursor})

    _size = staticmethod(page_limit)

    # -- one object --------------------------------------------------------------------------------

    def retrieve(self, request: HttpRequest, workspace: str, slug: str) -> HttpResponse:
        ws = workspace_for(request, workspace)
        item = self.item(self.get(ws, slug))
        etag = etag_of(item)
        if _matches(request.headers.get("If-None-Match", ""), etag) and request.headers.get("If-None-Match"):
            return HttpResponse(status=304, headers={"ETag": etag})
        return json_response(_only(item, _fields(request, self.otype)), etag=etag)

    def _check_precondition(self, request: HttpRequest, obj: Any) -> dict[str, Any] | None:
        """The object's current item, after checking ``If-Match`` against it (412 when stale)."""
        header = request.headers.get("If-Match")
        current = self.item(obj)
        if header and not _matches(header, etag_of(current)):
            raise ApiError(412, "stale", _("The object changed since you read it: read it again, then retry."))
        return current

    def create(self, request: HttpRequest, workspace: str) -> HttpResponse:
        ws = workspace_for(request, workspace, Action.CHANGE)
        body = read_body(request)
        if not isinstance(body, dict):
            raise invalid([{"field": None, "message": _("an object is expected")}])
        slug = body.get("slug")
        if isinstance(slug, str) and self.model.objects.filter(workspace=ws, slug=slug).exists():
            raise self._taken(slug)
        try:
            with writing(request):
                report = import_items(ws, self.otype, [body], bulk=False)
                if report.created[self.otype.key] != 1:  # a derived slug (a flow's) that exists already
                    raise self._taken(body.get("slug", ""))
        except IntegrityError:  # created meanwhile by another request
            raise self._taken(str(slug)) from None
        item = self.item(self.get(ws, body["slug"]))
        response = json_response(item, status=201, etag=etag_of(item))
        response["Location"] = request.build_absolute_uri(
            f"{request.path.rstrip('/')}/{item['slug']}")
        return response

    def _taken(self, slug: str) -> ApiError:
        return ApiError(409, "conflict", _("A %(type)s with the slug '%(slug)s' exists already.") % {
            "type": self.otype.label, "slug": slug}, field="slug")

    def update(self, request: HttpRequest, workspace: str, slug: str) -> HttpResponse:
        ws = workspace_for(request, workspace, Action.CHANGE)
        body = read_body(request)
        if not isinstance(body, dict):
            raise invalid([{"field": None, "message": _("an object is expected")}])
        if "slug" in body and body["slug"] != slug:
            raise invalid([{"field": "slug", "message": _("the slug cannot be changed")}])
        with writing(request):
            current = self._check_precondition(request, self.get(ws, slug, lock=True))
            item = {**body, "slug": slug}
            for key in required_keys(self.otype):  # the schema's required keys, kept as they are
                item.setdefault(key, current[key])
            import_items(ws, self.otype, [item], bulk=False)
        item = self.item(self.get(ws, slug))
        return json_response(item, etag=etag_of(item))

    def delete(self, request: HttpRequest, workspace: str, slug: str) -> HttpResponse:
        ws = workspace_for(request, workspace, Action.CHANGE)
        try:
            with writing(request):
                obj = self.get(ws, slug, lock=True)
                if request.headers.get("If-Match"):
                    self._check_precondition(request, obj)
                self.model.objects.get(pk=obj.pk).delete()  # the whole row: the change log keeps it as it was
        except (ProtectedError, RestrictedError) as exc:
            blocking = sorted({str(o) for o in list(exc.args[1])[:5]})
            raise ApiError(409, "protected", _("Still referenced, so kept: %(objects)s. Remove those references "
                                               "first.") % {"objects": ", ".join(blocking)}) from None
        return HttpResponse(status=204)

    def bulk(self, request: HttpRequest, workspace: str) -> HttpResponse:
        ws = workspace_for(request, workspace, Action.CHANGE)
        body = read_body(request)
        items = body.get("items") if isinstance(body, dict) else None
        if not isinstance(items, list) or set(body) != {"items"}:
            raise invalid([{"field": "items", "message": _("expected {\"items\": [...]}, a list of objects")}])
        if len(items) > schemas.BULK_LIMIT:
            raise invalid([{"field": "items", "message": _("at most %(n)s objects per request") % {
                "n": schemas.BULK_LIMIT}}])
        with writing(request):
            report = import_items(ws, self.otype, items, bulk=True)
        key = self.otype.key
        return json_response({"created": report.created[key], "updated": report.updated[key],
                              "unchanged": report.unchanged[key]})


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(schema: dict[str, Any], *types: str) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {t: {"schema": schema} for t in types or
                                                          ("application/json",)}}}


def add_type(router: Router, otype: ObjectType) -> None:
    """Add the endpoints of one type to ``router`` (named after the type's key: stable operation ids)."""
    ends = TypeEndpoints(otype)
    base = f"/workspaces/{{workspace}}/{type_segment(otype)}"
    name, plural = otype.label, otype.label_plural
    tag = [str(capfirst(otype.model._meta.verbose_name_plural))]
    one, key = schemas.ref(schemas.component(otype)), otype.key

    def list_objects(request: HttpRequest, workspace: str) -> HttpResponse:
        return ends.list(request, workspace)

    def create_object(request: HttpRequest, workspace: str) -> HttpResponse:
        return ends.create(request, workspace)

    def bulk_upsert(request: HttpRequest, workspace: str) -> HttpResponse:
        return ends.bulk(request, workspace)

    def get_object(request: HttpRequest, workspace: str, slug: str) -> HttpResponse:
        return ends.retrieve(request, workspace, slug)

    def update_object(request: HttpRequest, workspace: str, slug: str) -> HttpResponse:
        return ends.update(request, workspace, slug)

    def delete_object(request: HttpRequest, workspace: str, slug: str) -> HttpResponse:
        return ends.delete(request, workspace, slug)

    if_match = {"in": "header", "name": "If-Match", "required": False, "schema": {"type": "string"},
                "description": "The ETag read: the write is refused (412) if the object changed since."}
    bulk_report = {"type": "object", "required": ["created", "updated", "unchanged"], "properties": {
        k: {"type": "integer", "minimum": 0} for k in ("created", "updated", "unchanged")}}

    router.add_api_operation(base, ["GET"], list_objects, response=ERRORS, operation_id=f"list_{key}",
                             summary=f"List {plural}", tags=tag, openapi_extra={
                                 "parameters": schemas.list_parameters(otype),
                                 "responses": {200: _json(schemas.ref(schemas.component(otype, "Page")),
                                                          f"A page of {plural}")}})
    router.add_api_operation(base, ["POST"], create_object, response={**ERRORS, 409: Error},
                             operation_id=f"create_{key}", summary=f"Create one {name}", tags=tag, openapi_extra={
                                 **_body(schemas.ref(schemas.component(otype, "New"))),
                                 "responses": {201: _json(one, f"The {name} created")}})
    router.add_api_operation(f"{base}/bulk", ["POST"], bulk_upsert, response={**ERRORS, 413: Error},
                             operation_id=f"bulk_{key}", summary=f"Create or update {plural} by slug", tags=tag,
                             description="All or nothing: every problem is listed (index and field of each), "
                                         "and nothing is written unless every item is right.",
                             openapi_extra={**_body(schemas.ref(schemas.component(otype, "Bulk"))),
                                            "responses": {200: _json(bulk_report, "What was done")}})
    router.add_api_operation(f"{base}/{{slug}}", ["GET"], get_object, response=ERRORS, operation_id=f"get_{key}",
                             summary=f"Read one {name}", tags=tag, openapi_extra={
                                 "parameters": [schemas.fields_parameter(otype)],
                                 "responses": {200: _json(one, f"The {name}, with its ETag")}})
    router.add_api_operation(f"{base}/{{slug}}", ["PATCH"], update_object, response={**ERRORS, 412: Error},
                             operation_id=f"update_{key}", summary=f"Change one {name}", tags=tag, openapi_extra={
                                 "parameters": [if_match],
                                 **_body(schemas.ref(schemas.component(otype, "Changes")), "application/json",
                                         "application/merge-patch+json"),
                                 "responses": {200: _json(one, f"The {name} changed")}})
    router.add_api_operation(f"{base}/{{slug}}", ["DELETE"], delete_object, response={**ERRORS, 409: Error,
                                                                                       412: Error},
                             operation_id=f"delete_{key}", summary=f"Delete one {name}", tags=tag,
                             openapi_extra={"parameters": [if_match], "responses": {204: {"description": "Deleted"}}})


def register_router() -> Router:
    router = Router()
    for otype in registry:
        add_type(router, otype)
    return router
