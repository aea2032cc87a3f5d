"""The interoperability page of a workspace: ArchiMate and diagram downloads, imports from other tools.

``interop/`` offers the workspace as an ArchiMate exchange file and its dependency graph as Mermaid,
GraphML and draw.io files, and takes an ArchiMate model or a Mercator dump: the file is kept
(:class:`~mue.interchange.models.ImportUpload`), previewed at once (the importer's ``dry_run``:
everything done, then rolled back), then imported, all or nothing, from ``interop/<id>/``. The
report says what was mapped, merged and left out.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mue.core.access import Action
from mue.core.models import Workspace
from mue.interchange.importer import ImportReport
from mue.interchange.models import ImportUpload
from mue.interchange.problems import ImportFailed
from mue.interchange.views import KEEP_UPLOADS, _failed, _safe_name, _succeeded
from mue.web.security import upload_too_large
from mue.web.views.base import workspace_view

#: What the page imports: origin -> (label, file suffixes).
ORIGINS = {"archimate": (".xml",), "mercator": (".sql",)}


def _origin_labels() -> dict[str, str]:
    return {"archimate": _("ArchiMate exchange file (.xml: Archi, BiZZdesign, Sparx…)"),
            "mercator": _("Mercator database dump (.sql, MySQL/MariaDB or PostgreSQL)")}


@workspace_view(Action.VIEW)
def interop_page(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """``/w/<ws>/interop/``: downloads for everyone who sees the workspace, the import form for editors."""
    return _page(request, workspace, None)


def _page(request: HttpRequest, workspace: Workspace, error: str | None) -> HttpResponse:
    return render(request, "interchange/interop.html", {
        "workspace": workspace, "error": error, "origins": _origin_labels(),
        "chosen": request.POST.get("origin", "archimate"), "can_import": Action.CHANGE in request.workspace_actions,
    }, status=400 if error else 200)


@workspace_view(Action.CHANGE)
def interop_import(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """POST ``/w/<ws>/interop/import/``: keep the file, preview its import, show the preview."""
    if request.method != "POST":
        return redirect("web:interop", workspace.slug)
    origin = request.POST.get("origin", "")
    if upload_too_large(request):
        return _page(request, workspace, _("The file is too large to be imported here."))
    upload = request.FILES.get("file")
    if origin not in ORIGINS:
        return _page(request, workspace, _("Say which tool the file comes from."))
    if upload is None:
        return _page(request, workspace, _("Choose a file to import."))
    from mue.core.inputs import InputRejected, read_bytes

    try:
        content = read_bytes(upload, "map")
    except InputRejected as exc:
        return _page(request, workspace, exc.message)
    ImportUpload.objects.filter(workspace=workspace, created__lt=timezone.now() - KEEP_UPLOADS).delete()
    stored = ImportUpload.objects.create(workspace=workspace, file_name=_safe_name(upload.name), format=origin,
                                         content=content, size=len(content), uploaded_by=request.user)
    _run(stored, workspace, dry_run=True, actor=request.user.get_username())
    return redirect("web:interop_upload", workspace.slug, stored.pk)


def _run(upload: ImportUpload, workspace: Workspace, *, dry_run: bool, actor: str) -> None:
    from mue.interchange.archimate import import_archimate
    from mue.interchange.mercator import import_mercator

    run = import_archimate if upload.format == "archimate" else import_mercator
    try:
        report: ImportReport = run(bytes(upload.content), source=upload.file_name, workspace=workspace.slug,
                                   actor=actor, channel="web", dry_run=dry_run)
    except ImportFailed as exc:
        upload.result = _failed(exc, preview=dry_run)
    else:
        upload.result = _succeeded(report, preview=dry_run)
        # What was mapped, merged and left out: shown apart from the importer's own readings of values.
        upload.result["report_notes"], upload.result["notes"] = upload.result["notes"], []
    upload.save(update_fields=["result"])


@workspace_view(Action.CHANGE)
def interop_upload(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """``/w/<ws>/interop/<id>/``: the preview of an uploaded model or dump, and its import."""
    upload = get_object_or_404(ImportUpload.objects.for_user(request.user, Action.CHANGE), workspace=workspace, pk=pk,
                               format__in=list(ORIGINS))
    if request.method == "POST" and request.POST.get("action") == "import":
        _run(upload, workspace, dry_run=False, actor=request.user.get_username())
        return redirect("web:interop_upload", workspace.slug, upload.pk)
    return render(request, "interchange/interop_upload.html", {
        "workspace": workspace, "upload": upload, "result": upload.result, "origin": _origin_labels()[upload.format],
    })


@workspace_view(Action.VIEW)
def archimate_download(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """``/w/<ws>/interop/<ws>.xml``: the workspace as an ArchiMate 3.1 Open Exchange file."""
    from mue.interchange.archimate.writer import export_archimate

    response = HttpResponse(export_archimate(workspace), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{workspace.slug}-archimate.xml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
