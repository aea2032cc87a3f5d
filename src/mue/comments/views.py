"""Comment pages: post, edit and delete one's own, with htmx (the list comes back in place) and
without (a redirect to the object's page, a confirmation page before deleting)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mue.comments import services
from mue.comments.models import Comment
from mue.core.access import allowed_actions
from mue.core.models import RegisterObject, Workspace
from mue.core.registry import ObjectType, registry
from mue.web.context import type_segment
from mue.web.views.base import workspace_view


class CommentForm(forms.Form):
    body = forms.CharField(label=gettext_lazy("Comment"), max_length=10_000, strip=True,
                           widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))


def _writer(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Members who may not write comments get a 404, as for any page they may not act on."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, workspace: Workspace, *args: Any, **kwargs: Any) -> HttpResponse:
        if not services.may_comment(request.workspace_actions):
            raise Http404(_("You may not write comments in this workspace."))
        return view(request, workspace, *args, **kwargs)

    return wrapper


def _target(workspace: Workspace, segment: str, slug: str) -> tuple[ObjectType, RegisterObject]:
    key = segment.replace("-", "_")
    if key not in registry:
        raise Http404(_("No such type of object."))
    otype = registry[key]
    obj = otype.model.objects.in_workspace(workspace).filter(slug=slug).first()
    if obj is None:
        raise Http404(_("No such object."))
    return otype, obj


def _own(request: HttpRequest, workspace: Workspace, pk: int) -> tuple[Comment, ObjectType, RegisterObject]:
    """One's own comment in this workspace, and its object; anyone else's answers 404."""
    comment = Comment.objects.in_workspace(workspace).filter(pk=pk, author_id=request.user.pk).first()
    if comment is None:
        raise Http404(_("No such comment."))
    otype, obj = services.target_of(comment)
    return comment, otype, obj


def _object_page(workspace: Workspace, otype: ObjectType, obj: RegisterObject) -> str:
    args = [workspace.slug, type_segment(otype.key), obj.slug]
    try:
        return reverse("web:object_detail", args=args) + "#tab-comments"
    except NoReverseMatch:  # the generic detail pages are not served: the object's history is
        return reverse("web:object_history", args=args)


def _back(request: HttpRequest, workspace: Workspace, otype: ObjectType, obj: RegisterObject,
          form: CommentForm | None = None) -> HttpResponse:
    """After a change: the list in place for htmx, the object's page otherwise."""
    if request.htmx:
        return HttpResponse(render_comments(request, workspace, obj, otype, form=form))
    return redirect(_object_page(workspace, otype, obj))


def render_comments(request: HttpRequest, workspace: Workspace, obj: RegisterObject, otype: ObjectType,
                    form: CommentForm | None = None) -> SafeString:
    """The comments of an object and the form to add one (for those who may): a detail-page tab."""
    actions = getattr(request, "workspace_actions", None)
    if actions is None:
        actions = allowed_actions(request.user, workspace)
    segment = type_segment(otype.key)
    return render_to_string("comments/_comments.html", {
        "workspace": workspace, "obj": obj, "segment": segment,
        "comments": list(services.comments_on(obj, otype)),
        "may_comment": services.may_comment(actions), "form": form or CommentForm(),
        "add_url": reverse("web:comment_add", args=[workspace.slug, segment, obj.slug]),
        "list_url": reverse("web:comments", args=[workspace.slug, segment, obj.slug]),
    }, request=request)


@workspace_view("view")
def comment_list(request: HttpRequest, workspace: Workspace, type_key: str, slug: str) -> HttpResponse:
    """The list alone (htmx: after a cancelled edit); otherwise the object's page."""
    otype, obj = _target(workspace, type_key, slug)
    return _back(request, workspace, otype, obj)


@require_POST
@workspace_view("view")
@_writer
def comment_add(request: HttpRequest, workspace: Workspace, type_key: str, slug: str) -> HttpResponse:
    otype, obj = _target(workspace, type_key, slug)
    form = CommentForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            return _back(request, workspace, otype, obj, form=form)
        return render(request, "comments/edit.html", {"form": form, "obj": obj, "otype": otype,
                                                      "action_url": request.path, "adding": True,
                                                      "back_url": _object_page(workspace, otype, obj)})
    services.add_comment(obj, otype, request.user, form.cleaned_data["body"])
    return _back(request, workspace, otype, obj)


@workspace_view("view")
@_writer
def comment_edit(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    comment, otype, obj = _own(request, workspace, pk)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        services.edit_comment(comment, obj.slug, form.cleaned_data["body"])
        return _back(request, workspace, otype, obj)
    context = {"form": form, "comment": comment, "obj": obj, "otype": otype, "action_url": request.path,
               "back_url": _object_page(workspace, otype, obj),
               "list_url": reverse("web:comments", args=[workspace.slug, type_segment(otype.key), obj.slug])}
    if not request.htmx:
        return render(request, "comments/edit.html", context)
    response = render(request, "comments/_edit_form.html", context)
    if request.method == "POST":  # refused: the form comes back in place of the comment, not of the list
        response["HX-Retarget"], response["HX-Reswap"] = f"#comment-{comment.pk}", "outerHTML"
    return response


@workspace_view("view")
@_writer
def comment_delete(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    comment, otype, obj = _own(request, workspace, pk)
    if request.method == "POST":
        services.delete_comment(comment, obj.slug)
        return _back(request, workspace, otype, obj)
    context = {"comment": comment, "obj": obj, "otype": otype, "action_url": request.path,
               "back_url": _object_page(workspace, otype, obj),
               "list_url": reverse("web:comments", args=[workspace.slug, type_segment(otype.key), obj.slug])}
    template = "comments/_confirm_delete.html" if request.htmx else "comments/confirm_delete.html"
    return render(request, template, context)
