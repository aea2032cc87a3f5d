"""The generic pages of every register type: list, detail, autocomplete (edits are in :mod:`.edit`).

Every page addresses its type by the registry (``/w/<workspace>/<type>/...``, the type's map key with
dashes), reaches its rows through the workspace the permission gate returned, and derives what it
shows from :mod:`mue.web.spec`: a new type gets its pages with no new view, URL or template.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from mue.core import custom
from mue.core.custom import Definition
from mue.core.models import CustomField, Workspace
from mue.core.registry import ENDPOINT_TYPES, ObjectType, registry
from mue.web import keyset, saved_views
from mue.web.custom import GROUP_LABEL, attach_link_names, link_names, shown_value
from mue.web.filters import filterset_for, search
from mue.web.pages import pages
from mue.web.spec import (
    Column,
    TypeSpec,
    display_value,
    endpoint_of,
    incoming,
    label_of,
    object_url,
    spec_for,
    type_from_segment,
    type_segment,
)
from mue.web.views.base import workspace_view

COLUMNS_SESSION_KEY = "mue_columns"
COUNT_LIMIT = 10_000


def object_type(segment: str) -> ObjectType:
    otype = type_from_segment(segment)
    if otype is None:
        raise Http404
    return otype


def get_object(workspace: Workspace, otype: ObjectType, slug: str, select: tuple[str, ...] = ()) -> Any:
    obj = otype.model.objects.filter(workspace=workspace, slug=slug).select_related(*select).first()
    if obj is None:
        raise Http404
    return obj


# -- list --------------------------------------------------------------------------------------------


def chosen_columns(request: HttpRequest, spec: TypeSpec) -> list[Column]:
    """The user's columns for this type: from ``?columns=`` (remembered in the session), else remembered."""
    store = request.session.get(COLUMNS_SESSION_KEY, {})
    if "columns" in request.GET:
        keys = request.GET.getlist("columns")
        store[spec.otype.key] = keys
        request.session[COLUMNS_SESSION_KEY] = store
    return spec.chosen(store.get(spec.otype.key))


def filtered(request: HttpRequest, workspace: Workspace, otype: ObjectType, fields: list[Definition] | None = None):
    """The type's rows in the workspace, filtered by the request; the filter set to show.

    ``fields``: the workspace's custom fields of the type, when the caller has read them already.
    """
    queryset = otype.model.objects.filter(workspace=workspace)
    fields = custom.definitions(workspace, otype.key) if fields is None else fields
    filterset = filterset_for(otype.key, fields)(request.GET or None, queryset=queryset, workspace=workspace)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    return rows, filterset


def _sort(request: HttpRequest, spec: TypeSpec) -> tuple[Column, bool]:
    wanted = request.GET.get("sort", "name")
    descending = wanted.startswith("-")
    column = spec.column(wanted.lstrip("-"))
    if column is None or column.sort is None:
        return spec.column("name"), False
    return column, descending


def with_columns(queryset: QuerySet, columns: list[Column]) -> QuerySet:
    """Fetch what the shown columns need in a constant number of queries (joins, one per many-to-many)."""
    select = [s for c in columns for s in c.select]
    prefetch = [p for c in columns for p in c.prefetch]
    return queryset.select_related(*select).prefetch_related(*prefetch)


def row_html(obj: Any, otype: ObjectType, columns: list[Column], workspace_slug: str, selectable: bool) -> str:
    """One row of a list, rendered in Python: 50 rows × 6 cells through template tags cost ~20 ms."""
    cells = []
    if selectable:
        cells.append(format_html('<td><input class="form-check-input" type="checkbox" name="pk" value="{}" '
                                 'aria-label="{}"></td>', obj.pk, _("Select %(name)s") % {"name": obj.name}))
    for column in columns:
        if column.key == "name":
            content = format_html('<a href="{}">{}</a>', object_url(workspace_slug, otype, obj.slug), obj.name)
        elif column.key == "slug":
            content = format_html("<code>{}</code>", obj.slug)
        else:
            content = column.cell(obj, workspace_slug)
        cells.append(format_html('<td class="text-end mue-num">{}</td>', content) if column.numeric
                     else format_html("<td>{}</td>", content))
    return format_html("<tr>{}</tr>", mark_safe("".join(cells)))


@workspace_view("view")
def object_list(request: HttpRequest, workspace: Workspace, type_segment_: str) -> HttpResponse:
    otype = object_type(type_segment_)
    fields = custom.definitions(workspace, otype.key)
    spec = spec_for(otype.key).with_custom(fields)
    columns = chosen_columns(request, spec)
    rows, filterset = filtered(request, workspace, otype, fields)
    sort_column, descending = _sort(request, spec)
    size = int(request.GET.get("per_page", keyset.DEFAULT_PAGE_SIZE)) if request.GET.get(
        "per_page", "").isdigit() else keyset.DEFAULT_PAGE_SIZE
    page = keyset.paginate(with_columns(rows, columns + [sort_column]), sort_column.sort, descending,
                           sort_column.nullable, size, after=request.GET.get("after"),
                           before=request.GET.get("before"), last=request.GET.get("page") == "last")
    total = rows[:COUNT_LIMIT + 1].count()  # a bounded count: beyond it, "10,000+" is all one needs
    shown = [c.definition for c in columns if c.definition is not None]
    if shown:
        attach_link_names(shown, page.rows, workspace)
    table = [{"obj": obj, "html": row_html(obj, otype, columns, workspace.slug, "change" in request.workspace_actions)}
             for obj in page.rows]
    context = {
        "otype": otype, "spec": spec, "columns": columns, "table": table, "page": page, "total": total,
        "filterset": filterset, "count_limit": COUNT_LIMIT, "sort": sort_column.key, "descending": descending,
        "sortable": {c.key for c in spec.columns if c.sort}, "page_sizes": keyset.PAGE_SIZES,
        "type_segment": type_segment(otype), "all_columns": spec.columns,
        "chosen_keys": [c.key for c in columns],
        "query": request.GET.get("q", ""),
    }
    if request.htmx and request.htmx.target == "object-table":
        return render(request, "web/objects/_table.html", context)
    context.update(saved_views.list_context(request, workspace, otype.key, filterset.filters.keys(),
                                            context["chosen_keys"]))
    return render(request, "web/objects/list.html", context)


# -- detail -------------------------------------------------------------------------------------------


def _field_rows(otype: ObjectType, obj: Any, workspace: Workspace, fields: list[Definition]) -> list[dict]:
    """The object's fields in readable groups: general, details, each declared group, endpoints, then
    the workspace's custom ``fields`` of the type."""
    general, own, groups, links = [], [], [], []
    for mf in otype.fields:
        if mf.kind == "group":
            groups.append({"label": label_of(mf), "rows": [
                (label_of(m), display_value(m.field, getattr(obj, m.attname))) for m in mf.members]})
        elif mf.kind == "value":
            row = (label_of(mf), display_value(mf.field, getattr(obj, mf.attname)))
            (general if mf.key in ("slug", "name", "description", "tags") else own).append(row)
        elif mf.kind == "ref":
            target = getattr(obj, mf.field.name)
            shown = display_value(None, None) if target is None else format_html(
                '<a href="{}">{}</a>', object_url(workspace.slug, registry.by_singular(mf.target), target.slug),
                target.name)
            own.append((label_of(mf), shown))
        elif mf.kind == "endpoint":
            kind, target = endpoint_of(obj, mf)
            shown = display_value(None, None) if target is None else format_html(
                '<a href="{}">{}</a> <span class="badge bg-secondary-lt">{}</span>',
                object_url(workspace.slug, registry.by_singular(kind), target.slug), target.name,
                registry.by_singular(kind).label)
            links.append((label_of(mf), shown))
    out = [{"label": _("General"), "rows": general}]
    if links:
        out.append({"label": _("Endpoints"), "rows": links})
    if own:
        out.append({"label": _("Details"), "rows": own})
    if fields:
        names = link_names(fields, [obj], workspace)
        groups.append({"label": str(GROUP_LABEL), "rows": [
            (d.name, shown_value(d, obj.custom.get(d.slug), workspace.slug, names)) for d in fields]})
    return out + groups


def _relations(otype: ObjectType, obj: Any, workspace: Workspace, limit: int = 25) -> list[dict]:
    """The object's relations both ways: what it references (many-to-many) and what references it."""
    out = []
    for mf in otype.m2m_fields:
        target = registry.by_singular(mf.target)
        related = list(getattr(obj, mf.attname).order_by("name").only("slug", "name")[: limit + 1])
        out.append(_relation_block(label_of(mf), target, related, workspace, limit, None))
    for relation in incoming(otype.singular):
        related = list(relation.otype.model.objects.filter(workspace=workspace, **{relation.lookup: obj})
                       .order_by("name").only("slug", "name")[: limit + 1])
        if not related:
            continue
        filter_url = None
        if relation.mf.kind in ("ref", "refs"):
            filter_url = (reverse("web:object_list", args=[workspace.slug, type_segment(relation.otype)])
                          + f"?{relation.lookup}={obj.slug}")
        out.append(_relation_block(relation.label, relation.otype, related, workspace, limit, filter_url))
    for mf in otype.fields:
        if mf.kind == "links":  # a document's subjects, of any type: one query per type linked
            by_type: dict[str, list[int]] = {}
            for kind, target_id in obj.links.values_list("target_type", "target_id"):
                by_type.setdefault(kind, []).append(target_id)
            for kind, ids in sorted(by_type.items()):
                target = registry.by_singular(kind)
                related = list(target.model.objects.filter(workspace=workspace, pk__in=ids).order_by("name")
                               .only("slug", "name")[: limit + 1])
                out.append(_relation_block(_("%(field)s: %(types)s") % {
                    "field": label_of(mf), "types": target.label_plural}, target, related, workspace, limit, None))
    for holder in _link_holders():  # types declaring ``links`` (documents) that are about this object
        if holder is otype:
            continue
        about = list(holder.model.objects.filter(workspace=workspace, links__target_type=otype.singular,
                                                 links__target_id=obj.pk).order_by("name").only("slug", "name")
                     [: limit + 1])
        if about:
            out.append(_relation_block(_("%(types)s about it") % {"types": capfirst(holder.label_plural)},
                                       holder, about, workspace, limit, None))
    return out


def _relation_block(label: str, otype: ObjectType, related: list, workspace: Workspace, limit: int,
                    more_url: str | None) -> dict:
    return {"label": label, "type_label": otype.label_plural, "more": len(related) > limit, "more_url": more_url,
            "items": [(o.name, object_url(workspace.slug, otype, o.slug), o.slug) for o in related[:limit]]}


def _link_holders() -> list[ObjectType]:
    return [t for t in registry if any(mf.kind == "links" for mf in t.fields)]


def _detail_select(otype: ObjectType) -> tuple[str, ...]:
    select = [mf.field.name for mf in otype.fields if mf.kind == "ref"]
    for mf in otype.fields:
        if mf.kind == "endpoint":
            select += [f"{mf.model_field_prefix}_{kind}" for kind in ENDPOINT_TYPES]
    return tuple(select)


@workspace_view("view")
def object_detail(request: HttpRequest, workspace: Workspace, type_segment_: str, slug: str) -> HttpResponse:
    otype = object_type(type_segment_)
    obj = get_object(workspace, otype, slug, _detail_select(otype))
    tabs = []
    for tab in pages.tabs_for(otype.singular):
        html = tab.render(request, workspace, obj, otype)
        if html is not None:
            tabs.append({"key": tab.key, "label": tab.label, "html": html})
    from mue.web.history import render_object_history

    fields = custom.definitions(workspace, otype.key) if otype.key != CustomField.Map.key else []
    context = {
        "otype": otype, "obj": obj, "type_segment": type_segment(otype),
        "groups": _field_rows(otype, obj, workspace, fields), "relations": _relations(otype, obj, workspace),
        "history": render_object_history(request, workspace, obj, otype, definitions=fields), "tabs": tabs,
    }
    return render(request, "web/objects/detail.html", context)


# -- autocomplete --------------------------------------------------------------------------------------

AUTOCOMPLETE_LIMIT = 20


def _matches(queryset: QuerySet, text: str) -> list[tuple[str, str]]:
    rows = search(queryset, text) if text else queryset
    return list(rows.order_by("name", "pk").values_list("slug", "name")[:AUTOCOMPLETE_LIMIT])


@workspace_view("view")
def object_autocomplete(request: HttpRequest, workspace: Workspace, type_segment_: str) -> JsonResponse:
    """``?q=`` -> the type's objects of this workspace whose slug, name or description match."""
    otype = object_type(type_segment_)
    found = _matches(otype.model.objects.filter(workspace=workspace), request.GET.get("q", "").strip())
    return JsonResponse({"results": [{"value": slug, "text": f"{name} ({slug})"} for slug, name in found]})


@workspace_view("view")
def reference_autocomplete(request: HttpRequest, workspace: Workspace) -> JsonResponse:
    """Objects of several types as ``type:slug`` (a flow's endpoints, a document's subjects)."""
    wanted = [t for t in request.GET.get("types", "").split(",") if t]
    kinds = [t for t in registry if not wanted or t.singular in wanted]
    text = request.GET.get("q", "").strip()
    results = []
    for otype in kinds:
        for slug, name in _matches(otype.model.objects.filter(workspace=workspace), text)[:8]:
            results.append({"value": f"{otype.singular}:{slug}",
                            "text": f"{capfirst(otype.label)}: {name} ({slug})"})
    return JsonResponse({"results": results[:AUTOCOMPLETE_LIMIT * 2]})
