"""Create, edit, delete, bulk edit and bulk delete any register object (action "change").

Writes go through the importer (:class:`mue.web.forms.RegisterObjectForm`), deletes through the ORM
(signals log them), each in one transaction: a request that fails writes nothing and logs nothing.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.db import router, transaction
from django.db.models.deletion import Collector
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mue.core.models import Workspace
from mue.core.registry import ObjectType, registry
from mue.web.forms import BULK_HELP, RegisterObjectForm, initial_of
from mue.web.spec import object_url, type_segment
from mue.web.views.base import workspace_view
from mue.web.views.objects import filtered, get_object, object_type

BULK_LIMIT = 1000

# Sent inside the transaction of an edit made in the browser, after the write (see signal_saved).
object_saved = Signal()


def _actor(request: HttpRequest) -> str:
    return request.user.get_username()


def _list_url(workspace: Workspace, otype: ObjectType) -> str:
    return reverse("web:object_list", args=[workspace.slug, type_segment(otype)])


@workspace_view("change")
def object_create(request: HttpRequest, workspace: Workspace, type_segment_: str) -> HttpResponse:
    otype = object_type(type_segment_)
    form = RegisterObjectForm(request.POST or None, otype=otype, workspace=workspace,
                              initial={k: v for k, v in request.GET.items()})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():  # the whole request's writes, the change log included, or nothing
            report = form.save(_actor(request))
            if report is not None:
                signal_saved(request, otype, None)
        if report is not None:
            slug = form.saved_slug or _newest_slug(otype, workspace)
            messages.success(request, _("%(type)s created.") % {"type": capfirst(otype.label)})
            return redirect(object_url(workspace.slug, otype, slug))
    return render(request, "web/objects/form.html", {"otype": otype, "form": form, "obj": None,
                                                     "type_segment": type_segment(otype)})


def _newest_slug(otype: ObjectType, workspace: Workspace) -> str:
    """The slug the importer derived (a flow's, from its endpoints): the object just created."""
    return otype.model.objects.filter(workspace=workspace).order_by("-pk").values_list("slug", flat=True).first()


@workspace_view("change")
def object_edit(request: HttpRequest, workspace: Workspace, type_segment_: str, slug: str) -> HttpResponse:
    otype = object_type(type_segment_)
    obj = get_object(workspace, otype, slug)
    form = RegisterObjectForm(request.POST or None, otype=otype, workspace=workspace, instance=obj,
                              initial=initial_of(otype, obj))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            report = form.save(_actor(request))
            if report is not None:
                signal_saved(request, otype, obj)
        if report is not None:
            if report.changed:
                messages.success(request, _("Changes saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(object_url(workspace.slug, otype, obj.slug))
    return render(request, "web/objects/form.html", {"otype": otype, "form": form, "obj": obj,
                                                     "type_segment": type_segment(otype)})


def signal_saved(request: HttpRequest, otype: ObjectType, obj: Any) -> None:
    """Hook run inside the edit's transaction once the objects are written or deleted (creations, edits,
    deletions, bulk edits and deletions; ``obj`` is None for a creation or a bulk change). Domains
    connect to :data:`object_saved` (the audit's live findings do); an error there undoes the edit."""
    object_saved.send(sender=otype.model, request=request, otype=otype, obj=obj)


def consequences(objects: list[Any]) -> list[tuple[str, int]]:
    """What else a delete takes with it, per type (objects whose link to these cascades)."""
    if not objects:
        return []
    collector = Collector(using=router.db_for_write(type(objects[0])))
    collector.collect(objects)
    deleted_ids = {(type(o), o.pk) for o in objects}
    counts: Counter = Counter()
    for model, instances in collector.data.items():
        for instance in instances:
            if (model, instance.pk) not in deleted_ids:
                counts[model] += 1
    out = []
    for model, count in counts.items():
        try:
            label = registry.by_model(model).label_plural
        except KeyError:
            label = str(model._meta.verbose_name_plural)
        out.append((label, count))
    return sorted(out)


@workspace_view("change")
def object_delete(request: HttpRequest, workspace: Workspace, type_segment_: str, slug: str) -> HttpResponse:
    otype = object_type(type_segment_)
    obj = get_object(workspace, otype, slug)
    if request.method == "POST":
        with transaction.atomic():
            obj.delete()
            signal_saved(request, otype, obj)
        messages.success(request, _("%(type)s “%(name)s” deleted.") % {"type": capfirst(otype.label),
                                                                       "name": obj.name})
        return redirect(_list_url(workspace, otype))
    return render(request, "web/objects/delete.html", {
        "otype": otype, "obj": obj, "objects": [obj], "consequences": consequences([obj]),
        "type_segment": type_segment(otype), "cancel_url": object_url(workspace.slug, otype, obj.slug)})


def _selected(request: HttpRequest, workspace: Workspace, otype: ObjectType):
    """The objects ticked in the list (``pk`` values), always inside the workspace, at most BULK_LIMIT."""
    if request.POST.get("select_all"):
        rows, _filterset = filtered(request, workspace, otype)  # "every object matching the filter"
    else:
        ids = [v for v in request.POST.getlist("pk") if v.isdigit()]
        rows = otype.model.objects.filter(workspace=workspace, pk__in=ids)
    return rows.order_by("name", "pk")[:BULK_LIMIT]


@workspace_view("change")
def bulk_edit(request: HttpRequest, workspace: Workspace, type_segment_: str) -> HttpResponse:
    otype = object_type(type_segment_)
    objects = list(_selected(request, workspace, otype).only("pk", "slug", "name"))
    if not objects:
        messages.warning(request, _("Select at least one object first."))
        return redirect(_list_url(workspace, otype))
    applying = request.POST.get("_apply") == "1"
    form = RegisterObjectForm(request.POST if applying else None, otype=otype, workspace=workspace, bulk=True)
    if applying and form.is_valid():
        changes = form.item()
        if not changes:
            form.add_error(None, _("Tick “change” next to at least one field."))
        else:
            with transaction.atomic():
                report = form.import_items([{"slug": o.slug, "name": o.name, **changes} for o in objects],
                                           _actor(request))
                if report is not None:
                    signal_saved(request, otype, None)
            if report is not None:
                count = sum(report.updated.values())
                messages.success(request, ngettext("%(count)s object changed.", "%(count)s objects changed.",
                                                   count) % {"count": count})
                return redirect(_list_url(workspace, otype))
    return render(request, "web/objects/bulk_edit.html", {
        "otype": otype, "form": form, "objects": objects, "help": BULK_HELP, "type_segment": type_segment(otype),
        "cancel_url": _list_url(workspace, otype)})


@workspace_view("change")
def bulk_delete(request: HttpRequest, workspace: Workspace, type_segment_: str) -> HttpResponse:
    otype = object_type(type_segment_)
    if request.method != "POST":
        return redirect(_list_url(workspace, otype))
    objects = list(_selected(request, workspace, otype))
    if not objects:
        messages.warning(request, _("Select at least one object first."))
        return redirect(_list_url(workspace, otype))
    if request.POST.get("_confirm") == "1":
        with transaction.atomic():
            count = len(objects)
            otype.model.objects.filter(pk__in=[o.pk for o in objects]).delete()
            signal_saved(request, otype, None)
        messages.success(request, ngettext("%(count)s object deleted.", "%(count)s objects deleted.", count)
                         % {"count": count})
        return redirect(_list_url(workspace, otype))
    return render(request, "web/objects/delete.html", {
        "otype": otype, "obj": None, "objects": objects, "consequences": consequences(objects), "bulk": True,
        "type_segment": type_segment(otype), "cancel_url": _list_url(workspace, otype)})
