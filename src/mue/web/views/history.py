"""History pages: a workspace's change log and an object's, newest first, filterable.

Pages are cut by keyset on ``(time, id)``, newest first, so the last page of a long history costs what
the first does; the API's change-log endpoints use the same cursors. The rows in words are
:mod:`mue.web.history`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mue.core.models import ChangeAction, ChangeLogEntry, Membership, Workspace
from mue.core.registry import ObjectType, registry
from mue.web.context import type_segment
from mue.web.history import build_rows, logged_types, object_entries, object_url
from mue.web.views.base import workspace_view

PAGE_SIZE = 50
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


# --- keyset pages ----------------------------------------------------------------------------------

def _cursor(entry: ChangeLogEntry) -> str:
    delta = entry.time - _EPOCH
    micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros}-{entry.pk}"


def parse_cursor(value: str | None) -> tuple[dt.datetime, int] | None:
    if not value:
        return None
    micros, _sep, pk = value.partition("-")
    if not (micros.isdigit() and pk.isdigit()):
        return None
    return _EPOCH + dt.timedelta(microseconds=int(micros)), int(pk)


@dataclass
class Page:
    entries: list[ChangeLogEntry]
    older: str | None  # query string of the older page, or None
    newer: str | None
    older_cursor: str | None = None  # the cursor itself (the API answers it)
    newer_cursor: str | None = None


def paginate(queryset: models.QuerySet, params: Any, size: int = PAGE_SIZE) -> Page:
    """A page of ``queryset`` newest first, from the ``older``/``newer`` cursor in ``params``."""
    queryset = queryset.select_related("actor")
    older, newer = parse_cursor(params.get("older")), parse_cursor(params.get("newer"))
    if newer is not None:
        time, pk = newer
        # "time >= t and not (time = t and id <= pk)": a range on the time index, unlike an OR
        after = queryset.filter(time__gte=time).exclude(time=time, pk__lte=pk)
        rows = list(after.order_by("time", "id")[:size + 1])
        has_newer, has_older = len(rows) > size, True
        entries = list(reversed(rows[:size]))
    else:
        if older is not None:
            time, pk = older
            queryset = queryset.filter(time__lte=time).exclude(time=time, pk__gte=pk)
        rows = list(queryset.order_by("-time", "-id")[:size + 1])
        has_older, has_newer = len(rows) > size, older is not None
        entries = rows[:size]
    base = {k: v for k, v in params.items() if k not in ("older", "newer") and v}
    older_cursor = _cursor(entries[-1]) if has_older and entries else None
    newer_cursor = _cursor(entries[0]) if has_newer and entries else None
    return Page(
        entries=entries,
        older=urlencode({**base, "older": older_cursor}) if older_cursor else None,
        newer=urlencode({**base, "newer": newer_cursor}) if newer_cursor else None,
        older_cursor=older_cursor, newer_cursor=newer_cursor,
    )


# --- filters ---------------------------------------------------------------------------------------

class HistoryFilter(forms.Form):
    """The filters of a workspace's history (each optional)."""

    type = forms.ChoiceField(label=gettext_lazy("Object type"), required=False)
    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False)
    actor = forms.CharField(label=gettext_lazy("By"), required=False, max_length=150)
    date_from = forms.DateField(label=gettext_lazy("From"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=gettext_lazy("To"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    q = forms.CharField(label=gettext_lazy("Slug contains"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = [(t.singular, t.label[:1].upper() + t.label[1:]) for t in registry]
        types += [(t.name, str(t.label)[:1].upper() + str(t.label)[1:]) for t in logged_types()]
        self.fields["type"].choices = [("", _("All types")), *sorted(types, key=lambda c: c[1])]
        self.fields["action"].choices = [("", _("All actions")), *ChangeAction.choices]
        self.fields["actor"].widget.attrs["list"] = "mue-history-actors"
        for bound in self.fields.values():
            css = "form-select" if isinstance(bound.widget, forms.Select) else "form-control"
            bound.widget.attrs["class"] = css

    def apply(self, queryset: models.QuerySet) -> models.QuerySet:
        data = self.cleaned_data
        if data.get("type"):
            queryset = queryset.filter(object_type=data["type"])
        if data.get("action"):
            queryset = queryset.filter(action=data["action"])
        if data.get("actor"):
            queryset = queryset.filter(actor_name=data["actor"])
        if data.get("date_from"):
            queryset = queryset.filter(time__gte=_day_start(data["date_from"]))
        if data.get("date_to"):
            queryset = queryset.filter(time__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
        if data.get("q"):
            queryset = queryset.filter(object_slug__icontains=data["q"])
        return queryset


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight of ``day`` in the user's time zone (the dates a person types are theirs)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- pages -----------------------------------------------------------------------------------------

def _type_from_segment(segment: str) -> ObjectType:
    key = segment.replace("-", "_")
    if key not in registry:
        raise Http404(_("No such type of object."))
    return registry[key]


@workspace_view("view")
def workspace_history(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """Everything that changed in the workspace, newest first, filterable."""
    form = HistoryFilter(request.GET)
    entries = ChangeLogEntry.objects.filter(workspace=workspace)
    if form.is_valid():
        entries = form.apply(entries)
    page = paginate(entries, request.GET)
    actors = Membership.objects.filter(workspace=workspace).values_list("user__username", flat=True)
    return render(request, "web/history/workspace.html", {
        "form": form, "page": page, "rows": build_rows(page.entries, workspace), "actors": list(actors),
        "filtered": any(v for k, v in request.GET.items() if k not in ("older", "newer")),
    })


@workspace_view("view")
def object_history(request: HttpRequest, workspace: Workspace, type_key: str, slug: str) -> HttpResponse:
    """Everything that happened to one object (and its comments), newest first."""
    otype = _type_from_segment(type_key)
    obj = get_object_or_404(otype.model.objects.in_workspace(workspace), slug=slug)
    page = paginate(object_entries(workspace, otype, obj), request.GET)
    return render(request, "web/history/object.html", {
        "obj": obj, "otype": otype, "type_label": otype.label, "type_label_plural": otype.label_plural,
        "object_url": object_url(workspace, otype.singular, obj.slug), "list_url": _list_url(workspace, otype),
        "page": page, "rows": build_rows(page.entries, workspace),
    })


def _list_url(workspace: Workspace, otype: ObjectType) -> str | None:
    try:
        return reverse("web:object_list", args=[workspace.slug, type_segment(otype.key)])
    except NoReverseMatch:
        return None


history_urlpatterns = [
    path("history/", workspace_history, name="workspace_history"),
    path("<str:type_key>/<str:slug>/history/", object_history, name="object_history"),
]
