"""The file of a document on its page: download it (whoever may read the workspace), attach, replace
or remove it (whoever may change the register). Through the one permission gate, as every page."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mue.core.access import Action, allowed_actions
from mue.core.models import Workspace
from mue.core.registry import ObjectType
from mue.documents import files
from mue.documents.models import Document
from mue.web.security import upload_too_large
from mue.web.views.base import workspace_view


class DocumentFileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"), allow_empty_file=True)


def _document(workspace: Workspace, slug: str) -> Document:
    document = Document.objects.in_workspace(workspace).filter(slug=slug).first()
    if document is None:
        raise Http404(_("No such document."))
    return document


def _page(workspace: Workspace, document: Document) -> str:
    return reverse("web:object_detail", args=[workspace.slug, "documents", document.slug]) + "#tab-file"


def render_file(request: HttpRequest, workspace: Workspace, obj: Document, otype: ObjectType | None = None,
                error: str = "") -> SafeString:
    """The "File" panel of a document's page: its file with a download link, the upload form."""
    actions = getattr(request, "workspace_actions", None)
    if actions is None:
        actions = allowed_actions(request.user, workspace)
    size = files.size_of(obj) if obj.file else None
    args = [workspace.slug, obj.slug]
    return render_to_string("documents/_file.html", {
        "document": obj, "name": files.display_name(obj), "size": size,
        "size_text": localize(size) if size is not None else "",
        "lost": bool(obj.file) and size is None,
        "may_change": Action.CHANGE in actions, "error": error,
        "accepted": ",".join(f".{e}" for e in sorted(settings.MUE_DOCUMENT_EXTENSIONS)),
        "download_url": reverse("web:document_file", args=args),
        "upload_url": reverse("web:document_file_upload", args=args),
        "remove_url": reverse("web:document_file_remove", args=args),
    }, request=request)


def _back(request: HttpRequest, workspace: Workspace, document: Document, error: str = "") -> HttpResponse:
    if request.htmx:
        return HttpResponse(render_file(request, workspace, document, error=error), status=422 if error else 200)
    if error:  # without htmx the page comes back with the message in its panel
        from mue.web.views.objects import object_detail

        request.mue_document_file_error = error
        response = object_detail(request, workspace.slug, "documents", document.slug)
        response.status_code = 422
        return response
    return redirect(_page(workspace, document))


@workspace_view(Action.VIEW)
def document_file(request: HttpRequest, workspace: Workspace, slug: str) -> HttpResponse:
    """The document's file as a download (404 when it has none or the storage lost it)."""
    document = _document(workspace, slug)
    if not document.file or files.size_of(document) is None:
        raise Http404(_("This document has no file."))
    return files.file_response(document)


@require_POST
@workspace_view(Action.CHANGE)
def document_file_upload(request: HttpRequest, workspace: Workspace, slug: str) -> HttpResponse:
    document = _document(workspace, slug)
    if upload_too_large(request):
        limit = settings.MUE_MAX_UPLOAD_MB
        return _back(request, workspace, document, _("The file is larger than %(limit)s MB.") % {"limit": limit})
    form = DocumentFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _back(request, workspace, document, _("Choose a file to attach."))
    try:
        files.attach(document, form.cleaned_data["file"])
    except files.FileRefused as refused:
        return _back(request, workspace, document, str(refused))
    return _back(request, workspace, document)


@require_POST
@workspace_view(Action.CHANGE)
def document_file_remove(request: HttpRequest, workspace: Workspace, slug: str) -> HttpResponse:
    document = _document(workspace, slug)
    if document.file:
        files.detach(document)
    return _back(request, workspace, document)
