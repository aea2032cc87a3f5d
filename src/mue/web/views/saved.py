"""Save, apply and delete the saved views of a register list (see :mod:`mue.web.saved_views`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mue.core import custom
from mue.core.models import Workspace
from mue.web import keyset
from mue.web.filters import filterset_for
from mue.web.models import SavedView
from mue.web.saved_views import ViewRefused, canonical_query, may_change, save_view, visible_to
from mue.web.spec import spec_for, type_segment
from mue.web.views.base import workspace_view
from mue.web.views.objects import object_type


def _list_url(workspace: Workspace, segment: str, query: str = "") -> str:
    url = reverse("web:object_list", args=[workspace.slug, segment])
    return f"{url}?{query}" if query else url


@require_POST
@workspace_view("view")
def saved_view_save(request: HttpRequest, workspace: Workspace, type_segment_: str) -> HttpResponse:
    """Save the list as it is shown (its query string and columns, posted by the list page)."""
    otype = object_type(type_segment_)
    segment = type_segment(otype)
    shown = QueryDict(request.POST.get("query", "")[:4000])
    fields = custom.definitions(workspace, otype.key)
    spec = spec_for(otype.key).with_custom(fields)
    columns = [c.key for c in spec.chosen(request.POST.getlist("columns"))]
    names = filterset_for(otype.key, fields).base_filters.keys()
    query = canonical_query(shown, columns, names, keyset.DEFAULT_PAGE_SIZE)
    try:
        view, created = save_view(workspace, request.user, request.workspace_actions, otype.key,
                                  request.POST.get("name", ""), query, request.POST.get("shared") == "on")
    except ViewRefused as refused:
        messages.error(request, str(refused))
        return redirect(_list_url(workspace, segment, shown.urlencode()))
    if created:
        messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    else:
        messages.success(request, _("View “%(name)s” replaced by this list.") % {"name": view.name})
    return redirect(_list_url(workspace, segment, view.query))


@require_POST
@workspace_view("view")
def saved_view_delete(request: HttpRequest, workspace: Workspace, type_segment_: str, pk: int) -> HttpResponse:
    otype = object_type(type_segment_)
    view = SavedView.objects.filter(visible_to(request.user, request.workspace_actions), workspace=workspace,
                                    object_type=otype.key, pk=pk).first()
    if view is None:
        raise Http404  # a view one cannot see answers as one that does not exist
    if not may_change(view, request.user, request.workspace_actions):
        messages.error(request, _("Only its owner or the workspace's administrators delete a shared view."))
    else:
        view.delete()
        messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
    return redirect(_list_url(workspace, type_segment(otype)))
