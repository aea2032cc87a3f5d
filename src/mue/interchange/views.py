"""The import pages: upload, match columns and values, preview, import all or nothing; saved mappings.

Steps, each a page that survives a reload (POST, then redirect to a GET):

1. ``import/``: upload a map (YAML/JSON) or a spreadsheet (CSV/XLSX); templates per type.
2. ``import/<id>/``: per sheet, its type and the mapping form (:mod:`mue.interchange.sheetform`);
   *Preview* runs the import in a transaction that is rolled back (the importer's own
   ``dry_run``) and shows every problem with its sheet, row and column, or what would be created,
   updated or left unchanged; *Import* does it for real, all or nothing.
3. ``import/mappings/``: mappings saved in the workspace, downloaded as the YAML file the CLI reads,
   or added from such a file.

The import runs in the request: a 100,000-row sheet takes seconds, as on the command line.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mue.core.access import Action
from mue.core.models import Workspace
from mue.core.registry import registry
from mue.interchange.files import template_in
from mue.interchange.importer import ImportReport, ProgressHook, import_document
from mue.interchange.jobs import as_job, pending_job, submit_import
from mue.interchange.mapping import dump_mapping, parse_mapping
from mue.interchange.models import ImportUpload, SavedMapping
from mue.interchange.normalize import Names
from mue.interchange.problems import ImportFailed, Problem
from mue.interchange.saved_mappings import delete_mapping, save_mapping
from mue.interchange.sheetform import build_form, mapping_from_form, type_choices
from mue.interchange.sources import format_of, load_structured
from mue.interchange.tabular import Sheet, read_rows, read_sheets
from mue.interchange.workbook import import_tables
from mue.web.security import upload_too_large
from mue.web.views.base import workspace_view
from mue.web.views.exports import CONTENT_TYPES

KEEP_UPLOADS = dt.timedelta(days=1)
MAX_SHOWN_PROBLEMS = 500


# -- step 1: upload ---------------------------------------------------------------------------------


@workspace_view(Action.CHANGE)
def import_start(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    error = None
    if request.method == "POST":
        if upload_too_large(request):
            error = _("The file is too large to be imported here.")
        elif not request.FILES.get("file"):
            error = _("Choose a file to import.")
        else:
            upload, error = _store(request, workspace)
            if upload is not None:
                return redirect("web:import_sheets", workspace.slug, upload.pk)
    saved = SavedMapping.objects.for_user(request.user, Action.CHANGE).filter(workspace=workspace)
    return render(request, "interchange/import_start.html", {
        "workspace": workspace, "error": error, "types": list(registry), "saved_count": saved.count(),
    }, status=400 if error else 200)


def _store(request: HttpRequest, workspace: Workspace) -> tuple[ImportUpload | None, str | None]:
    uploaded = request.FILES["file"]
    name = _safe_name(uploaded.name)
    try:
        fmt = format_of(Path(name))
    except ValueError:
        return None, _("Mue imports YAML or JSON maps and CSV or XLSX spreadsheets; %(name)s is none of them.") % {
            "name": name}
    if fmt in ("archimate", "sql"):  # another tool's model or dump: read on the interoperability page
        return None, _("%(name)s comes from another tool (an ArchiMate model or a database dump): import it from "
                       "the Interoperability page.") % {"name": name}
    return store_upload(workspace, name, fmt, uploaded.read(), request.user), None


def store_upload(workspace: Workspace, name: str, fmt: str, content: bytes, user: Any) -> ImportUpload:
    """Keep an uploaded file; a map is previewed at once, a spreadsheet's sheets get their first draft."""
    ImportUpload.objects.filter(workspace=workspace, created__lt=timezone.now() - KEEP_UPLOADS).delete()
    upload = ImportUpload.objects.create(workspace=workspace, file_name=name, format=fmt, content=content,
                                         size=len(content), uploaded_by=user)
    if fmt in ("yaml", "json"):
        if as_job(upload):
            submit_import(upload, user, dry_run=True)
        else:
            preview_map(upload, workspace)
    else:
        try:
            with sheets_of(upload) as sheets:
                upload.draft = {"sheets": [initial_draft(sheet, workspace) for sheet in sheets]}
        except ImportFailed as exc:
            upload.result = _failed(exc, preview=True)
        upload.save(update_fields=["draft", "result"])
    return upload


def _safe_name(name: str) -> str:
    base = Path(name).name.strip() or "upload"
    return re.sub(r"[^\w.\- ()]+", "_", base)[:200]


def initial_draft(sheet: Sheet, workspace: Workspace) -> dict[str, Any]:
    """A sheet's first draft: the type its title names, and the saved mapping of that type if only one."""
    otype = sheet.otype
    mapping: dict[str, Any] = {"type": otype.key if otype else None}
    if otype is not None:
        saved = list(SavedMapping.objects.filter(workspace=workspace, object_type=otype.key)[:2])
        if len(saved) == 1:
            mapping = dict(saved[0].mapping)
    return {"title": sheet.title, "type": otype.key if otype else None, "mapping": mapping}


@contextmanager
def sheets_of(upload: ImportUpload) -> Iterator[list[Sheet]]:
    """The upload's sheets, read from a temporary copy under its own name (messages name the file)."""
    with tempfile.TemporaryDirectory(prefix="mue-import-") as folder:
        path = Path(folder) / upload.file_name
        path.write_bytes(bytes(upload.content))
        yield read_sheets(path, upload.format)


# -- step 2: sheets, mapping, preview, import ------------------------------------------------------


def _upload(request: HttpRequest, workspace: Workspace, pk: int) -> ImportUpload:
    return get_object_or_404(ImportUpload.objects.for_user(request.user, Action.CHANGE), workspace=workspace, pk=pk)


@workspace_view(Action.CHANGE)
def import_sheets(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    upload = _upload(request, workspace, pk)
    if upload.format in ("yaml", "json"):
        if request.method == "POST" and request.POST.get("action") == "import":
            if as_job(upload):
                job = submit_import(upload, request.user, dry_run=False)
                return redirect("web:job", workspace.slug, job.pk)
            preview_map(upload, workspace, dry_run=False, actor=request.user.get_username())
            return redirect("web:import_sheets", workspace.slug, upload.pk)
        return render(request, "interchange/import_sheets.html", {
            "workspace": workspace, "upload": upload, "forms": [], "result": upload.result, "is_map": True,
            "job": pending_job(upload)})
    names = Names(workspace.id)
    try:
        with sheets_of(upload) as sheets:
            forms = _forms(upload, sheets, names)
            if request.method == "POST":
                return _post(request, workspace, upload, sheets, forms, names)
    except ImportFailed as exc:
        upload.result = _failed(exc, preview=True)
        forms = []
    saved = {otype.key: [] for otype in registry}
    for mapping in SavedMapping.objects.for_user(request.user, Action.CHANGE).filter(workspace=workspace):
        saved.setdefault(mapping.object_type, []).append(mapping)
    for form in forms:
        form.saved = saved.get(form.otype.key, []) if form.otype else []
    return render(request, "interchange/import_sheets.html", {
        "workspace": workspace, "upload": upload, "forms": forms, "result": upload.result, "is_map": False,
        "type_choices": type_choices(), "job": pending_job(upload),
    })


def _forms(upload: ImportUpload, sheets: list[Sheet], names: Names) -> list:
    drafts = {d["title"]: d for d in upload.draft.get("sheets", [])}
    forms = []
    for index, sheet in enumerate(sheets):
        draft = drafts.get(sheet.title, {})
        otype = registry[draft["type"]] if draft.get("type") in registry.keys() else None
        try:
            form = build_form(index, sheet, otype, draft.get("mapping"), names)
        except ImportFailed:  # a saved draft that no longer checks (a hand-edited mapping): start again
            form = build_form(index, sheet, otype, {"type": otype.key if otype else None}, names)
        form.include = bool(draft.get("include", otype is not None))
        forms.append(form)
    return forms


def _post(request: HttpRequest, workspace: Workspace, upload: ImportUpload, sheets: list[Sheet], forms: list,
          names: Names) -> HttpResponse:
    action = request.POST.get("action", "preview")
    drafts = []
    for form in forms:
        p = form.prefix
        chosen = request.POST.get(f"{p}-type", "")
        otype_key = chosen if chosen in registry.keys() else None
        include = bool(request.POST.get(f"{p}-include")) and otype_key is not None
        if otype_key != (form.otype.key if form.otype else None):
            mapping: dict[str, Any] = {"type": otype_key}  # a new type: its columns are matched afresh
            include = otype_key is not None
        else:
            mapping = mapping_from_form(request.POST, form)
        applied = request.POST.get(f"{p}-saved", "")
        if action == f"apply-{form.index}" and applied:
            found = SavedMapping.objects.filter(workspace=workspace, pk=applied).first() if applied.isdigit() else None
            if found is not None:
                mapping, otype_key, include = dict(found.mapping), found.object_type, True
                messages.info(request, _("Mapping “%(name)s” applied to the sheet %(sheet)s.")
                              % {"name": found.name, "sheet": form.title})
        drafts.append({"title": form.title, "type": otype_key, "include": include, "mapping": mapping})
        if action == f"save-{form.index}":
            _save_mapping(request, workspace, form, mapping)
    upload.draft = {"sheets": drafts}
    rows = sum(sheet.data_rows for sheet, draft in zip(sheets, drafts, strict=True) if draft["include"])
    if action in ("preview", "import") and as_job(upload, rows):
        upload.save(update_fields=["draft"])
        job = submit_import(upload, request.user, dry_run=action == "preview")
        return redirect("web:job", workspace.slug, job.pk)
    if action in ("preview", "import"):
        upload.result = run_sheets(upload, sheets, drafts, workspace, request.user.get_username(), names,
                                   dry_run=action == "preview")
    upload.save(update_fields=["draft", "result"])
    return redirect(f"{request.path}#{'result' if action in ('preview', 'import') else 'sheets'}")


def _save_mapping(request: HttpRequest, workspace: Workspace, form, mapping: dict[str, Any]) -> None:
    name = request.POST.get(f"{form.prefix}-save_name", "").strip()[:100]
    if not name or not mapping.get("type"):
        messages.error(request, _("Give the mapping a name, and the sheet a type, to save it."))
        return
    save_mapping(workspace, name, mapping, request.user)
    messages.success(request, _("Mapping “%(name)s” saved in the workspace.") % {"name": name})


def run_sheets(upload: ImportUpload, sheets: list[Sheet], drafts: list[dict], workspace: Workspace, actor: str,
               names: Names, *, dry_run: bool, progress: ProgressHook | None = None) -> dict[str, Any]:
    """Preview (``dry_run``) or import the sheets the drafts include; what the page shows of it."""
    chosen = [(sheet, d) for sheet, d in zip(sheets, drafts, strict=True) if d["include"]]
    if not chosen:
        return _failed(ImportFailed([Problem(upload.file_name, (0,), "", "", _(
            "No sheet to import: give at least one sheet its type."))]), preview=dry_run)
    several = len(sheets) > 1
    try:
        tables = [read_rows(sheet.rows, sheet.title if several else upload.file_name, registry[d["type"]],
                            _checked(d["mapping"], sheet.title), names, in_form=True) for sheet, d in chosen]
        report = import_tables(tables, source=upload.file_name, workspace=workspace.slug,
                               actor=actor, channel="web", dry_run=dry_run, progress=progress)
    except ImportFailed as exc:
        return _failed(exc, preview=dry_run)
    return _succeeded(report, preview=dry_run)


def _checked(mapping: dict[str, Any], source: str) -> dict[str, Any]:
    from mue.interchange.mapping import check_mapping

    return check_mapping(mapping, source)


def preview_map(upload: ImportUpload, workspace: Workspace, *, dry_run: bool = True, actor: str = "system",
                progress: ProgressHook | None = None, counted: Callable[[int], Any] | None = None) -> None:
    """Preview (or import) an uploaded map file; what the page shows is written into the upload.
    ``counted`` hears how many objects the file holds once it is read."""
    try:
        document, locate = load_structured(bytes(upload.content), upload.file_name, upload.format)
        if counted is not None and isinstance(document, dict):
            counted(sum(len(items) for items in document.values() if isinstance(items, list)))
        report = import_document(document, source=upload.file_name, locate=locate, workspace=workspace.slug,
                                 actor=actor, channel="web", dry_run=dry_run, progress=progress)
    except ImportFailed as exc:
        upload.result = _failed(exc, preview=dry_run)
    else:
        upload.result = _succeeded(report, preview=dry_run)
    upload.save(update_fields=["result"])


def _failed(exc: ImportFailed, *, preview: bool) -> dict[str, Any]:
    problems = [p.as_dict() for p in exc.problems[:MAX_SHOWN_PROBLEMS]]
    return {"ok": False, "preview": preview, "problems": problems, "problem_count": len(exc.problems),
            "at": timezone.now().isoformat()}


def _succeeded(report: ImportReport, *, preview: bool) -> dict[str, Any]:
    labels = {otype.key: str(otype.label_plural) for otype in registry}
    counts = [{"type": labels.get(key, key), "created": report.created[key], "updated": report.updated[key],
               "unchanged": report.unchanged[key]}
              for key in labels if report.created[key] or report.updated[key] or report.unchanged[key]]
    changes = [{"type": str(registry[key].label) if key in labels else key, "slug": slug, "action": action,
                "fields": [_field_label(key, name) for name in fields]}
               for key, slug, action, fields in report.changes[:MAX_SHOWN_PROBLEMS]]
    return {"ok": True, "preview": preview, "counts": counts, "changes": changes,
            "change_count": len(report.changes), "created": sum(report.created.values()),
            "updated": sum(report.updated.values()), "unchanged": sum(report.unchanged.values()),
            "notes": list(report.notes), "at": timezone.now().isoformat()}


def _field_label(type_key: str, name: str) -> str:
    """A changed column or link of the change log (``vendor_id``, ``depends_on``) by its field's name."""
    from django.core.exceptions import FieldDoesNotExist

    model = registry[type_key].model
    for candidate in (name, name.removesuffix("_id")):
        try:
            return str(model._meta.get_field(candidate).verbose_name)
        except FieldDoesNotExist:
            continue
    return name


# -- templates and saved mappings -------------------------------------------------------------------


@workspace_view(Action.CHANGE)
def import_template(request: HttpRequest, workspace: Workspace, type_key: str, fmt: str) -> HttpResponse:
    if type_key not in registry.keys() or fmt not in CONTENT_TYPES:
        raise Http404
    otype = registry[type_key]
    response = HttpResponse(template_in(otype, fmt, get_language() or "en", workspace), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{otype.key}.{fmt}"'
    return response


@workspace_view(Action.CHANGE)
def mapping_list(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    error = None
    if request.method == "POST":
        error = _add_mapping_file(request, workspace)
        if error is None:
            return redirect("web:import_mappings", workspace.slug)
    labels = {otype.key: capfirst(otype.label_plural) for otype in registry}
    rows = [(m, labels.get(m.object_type, m.object_type), len(m.mapping.get("columns") or {}))
            for m in SavedMapping.objects.for_user(request.user, Action.CHANGE).filter(workspace=workspace)
            .select_related("updated_by")]
    return render(request, "interchange/mappings.html", {"workspace": workspace, "rows": rows, "error": error},
                  status=400 if error else 200)


def _add_mapping_file(request: HttpRequest, workspace: Workspace) -> str | None:
    if upload_too_large(request):
        return _("The file is too large.")
    uploaded = request.FILES.get("file")
    name = request.POST.get("name", "").strip()[:100]
    if uploaded is None or not name:
        return _("Give a name and choose a mapping file (YAML).")
    try:
        mapping = parse_mapping(uploaded.read(), _safe_name(uploaded.name))
    except ImportFailed as exc:
        return "; ".join(str(p) for p in exc.problems[:10])
    try:
        mapping["type"] = registry.lookup(str(mapping["type"] or "").strip().lower()).key
    except KeyError:
        return _("The mapping must say the type of the sheets it reads (type: applications, services…).")
    save_mapping(workspace, name, mapping, request.user)
    messages.success(request, _("Mapping “%(name)s” saved in the workspace.") % {"name": name})
    return None


@workspace_view(Action.CHANGE)
def mapping_download(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    mapping = get_object_or_404(SavedMapping.objects.for_user(request.user, Action.CHANGE), workspace=workspace,
                                pk=pk)
    response = HttpResponse(dump_mapping(mapping.mapping), content_type="application/yaml; charset=utf-8")
    stem = re.sub(r"[^\w.-]+", "-", mapping.name).strip("-") or "mapping"
    response["Content-Disposition"] = f'attachment; filename="{stem}.yaml"'
    return response


@workspace_view(Action.CHANGE)
def mapping_delete(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    mapping = get_object_or_404(SavedMapping.objects.for_user(request.user, Action.CHANGE), workspace=workspace,
                                pk=pk)
    if request.method == "POST":
        delete_mapping(mapping)
        messages.success(request, _("Mapping “%(name)s” deleted.") % {"name": mapping.name})
    return redirect("web:import_mappings", workspace.slug)
