"""The file of a document: where it is stored, what may be uploaded, how it is handed out.

A document's file belongs to its workspace like the document itself: it is stored under
``documents/<workspace id>/`` with a random folder in its path (so a name seen once does not lead to
the next one) and is only ever served by :func:`file_response`, after the page's permission check —
never by the web server from its path (``docs/deployment.md``: the proxy serves ``/media/`` only as
an internal location that Mue hands out with ``X-Accel-Redirect`` when ``MUE_MEDIA_ACCEL_REDIRECT`` is
set). Files that lose their document (replaced, removed, the document or the workspace deleted) are
deleted from the storage once the change commits, never before: a rolled-back change keeps its file.
"""

from __future__ import annotations

import mimetypes
import os
import posixpath
import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

FOLDER = "documents"


def upload_to(document, filename: str) -> str:
    """``documents/<workspace id>/<random>/<file name>`` (the name as the user gave it, made safe)."""
    name = get_valid_filename(PurePosixPath(filename.replace("\\", "/")).name) or "file"
    return posixpath.join(FOLDER, str(document.workspace_id), secrets.token_hex(8), name[-150:])


def workspace_folder(workspace_id: int) -> str:
    return posixpath.join(FOLDER, str(workspace_id))


def display_name(document) -> str:
    """The file's name as the user gave it (without the folders Mue adds)."""
    return PurePosixPath(document.file.name).name if document.file else ""


def size_of(document) -> int | None:
    """The file's size in bytes; None when the storage has lost it."""
    try:
        return document.file.size
    except (FileNotFoundError, OSError):
        return None


class FileRefused(ValueError):
    """An upload Mue does not keep; the message says why, in the user's words."""


def check_upload(uploaded: UploadedFile) -> None:
    """Refuse a file whose kind is not one of ``MUE_DOCUMENT_EXTENSIONS`` or that is empty."""
    extension = PurePosixPath(uploaded.name or "").suffix.lower().lstrip(".")
    allowed = settings.MUE_DOCUMENT_EXTENSIONS
    if extension not in allowed:
        raise FileRefused(_("Files of this kind (%(extension)s) are not kept. Accepted: %(allowed)s.") % {
            "extension": f".{extension}" if extension else _("no extension"),
            "allowed": ", ".join(f".{e}" for e in sorted(allowed))})
    if not uploaded.size:
        raise FileRefused(_("The file is empty."))


def delete_on_commit(name: str) -> None:
    """Delete a stored file once the current transaction commits (at once outside a transaction)."""
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def delete_folder(folder: str) -> None:
    """Delete every file under ``folder`` of the storage (a deleted workspace's documents)."""
    try:
        directories, names = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in names:
        default_storage.delete(posixpath.join(folder, name))
    for directory in directories:
        delete_folder(posixpath.join(folder, directory))
    path = getattr(default_storage, "path", None)
    if path is not None:  # the file system keeps empty folders: remove them too
        try:
            os.rmdir(path(folder))
        except OSError:
            pass


def attach(document, uploaded: UploadedFile) -> None:
    """Store ``uploaded`` as the document's file (replacing the one it had); logged as a change.

    The file is written first, then the document in its own transaction: if that fails, the new
    file is deleted and the old one kept; once it commits, the old file goes.
    """
    check_upload(uploaded)
    old = document.file.name if document.file else ""
    stored = default_storage.save(upload_to(document, uploaded.name or "file"), uploaded)
    try:
        with transaction.atomic():
            document.file.name = stored
            document.save(update_fields=["file", "updated"])
            delete_on_commit(old)
    except BaseException:
        default_storage.delete(stored)
        document.file.name = old
        raise


def detach(document) -> None:
    """Remove the document's file (the document stays); logged as a change."""
    old = document.file.name
    with transaction.atomic():
        document.file.name = ""
        document.save(update_fields=["file", "updated"])
        delete_on_commit(old)


def file_response(document) -> HttpResponse:
    """The file as a download: never shown inline (a document could be HTML or SVG with script)."""
    name = display_name(document)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    accel = settings.MUE_MEDIA_ACCEL_REDIRECT
    if accel:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = posixpath.join(accel, document.file.name)
        response["Content-Disposition"] = content_disposition_header(True, name)
    else:
        response = FileResponse(document.file.open("rb"), as_attachment=True, filename=name,
                                content_type=content_type)
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

