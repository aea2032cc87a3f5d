"""Files in and out: the entry points the CLI, the web app and the API share."""

from __future__ import annotations

from pathlib import Path

from mue.core.models import Workspace
from mue.interchange.exporter import dumps, export_workspace
from mue.interchange.importer import ImportReport, ProgressHook, import_document
from mue.interchange.problems import ImportFailed, Problem
from mue.interchange.sources import format_of, load_structured


def import_file(path: Path, *, workspace: str | None = None, object_type: str | None = None,
                mapping: dict | None = None, actor: str = "system", channel: str = "import",
                progress: ProgressHook | None = None) -> ImportReport:
    """Import a YAML/JSON map, or a CSV/XLSX sheet of one object type; all or nothing."""
    path = Path(path)
    name = path.name
    try:
        fmt = format_of(path)
    except ValueError as exc:
        raise ImportFailed([Problem(name, (0,), "", "", str(exc))]) from None
    if not path.exists():
        raise ImportFailed([Problem(name, (0,), "", "", "file not found")])
    if fmt in ("yaml", "json"):
        document, locate = load_structured(path.read_bytes(), name, fmt)
    else:
        from mue.interchange.tabular import read_table

        if not workspace:
            raise ImportFailed([Problem(name, (0,), "", "", "a CSV or XLSX import needs a workspace (--workspace)")])
        document, locate = read_table(path, fmt, object_type=object_type, mapping=mapping, workspace=workspace)
    return import_document(document, source=name, locate=locate, workspace=workspace, progress=progress,
                           actor=actor, channel=channel)


def export_file(workspace: Workspace, fmt: str) -> bytes:
    """A whole workspace as YAML or JSON bytes."""
    return dumps(export_workspace(workspace), fmt)
