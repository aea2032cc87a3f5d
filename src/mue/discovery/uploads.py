"""Uploaded log files kept in a private directory until the discovery job has read them (it deletes
them: raw logs name people, and Mue keeps only aggregates). Shared by the upload page and the API."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings


def upload_dir() -> Path:
    path = Path(settings.VAR_DIR) / "uploads" / "discovery" / secrets.token_hex(8)
    path.mkdir(parents=True, exist_ok=True)
    return path


def keep_uploads(files: Iterable) -> tuple[Path, list[str]]:
    """Write the uploaded files (Django ``UploadedFile``) under a new private folder; its path and theirs."""
    folder = upload_dir()
    paths = []
    for number, upload in enumerate(files):
        name = Path(upload.name or "").name or f"log-{number}"
        target = folder / f"{number:02d}" / name  # a folder each: the run keeps the file's own name
        target.parent.mkdir()
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        paths.append(str(target))
    return folder, paths
