"""ArchiMate 3.1/3.2 Open Exchange Format: a workspace out (:mod:`.writer`), a third-party model in (:mod:`.reader`).

The import is a reader in front of :func:`mue.interchange.importer.import_document`: the model becomes
a map document, and the one pipeline validates it, writes it all or nothing and logs it.
"""

from __future__ import annotations

from mue.interchange.importer import ImportReport, ProgressHook, import_document


def import_archimate(data: bytes, *, source: str, workspace: str | None, actor: str = "system",
                     channel: str = "import", progress: ProgressHook | None = None,
                     dry_run: bool = False) -> ImportReport:
    """Import an exchange file into ``workspace``; what could not be mapped is in the report's notes."""
    from mue.interchange.archimate.reader import read_model

    reading = read_model(data, source, workspace)
    report = import_document(reading.document, source=source, locate=reading.locate, workspace=workspace,
                             progress=progress, actor=actor, channel=channel, dry_run=dry_run)
    report.notes = [*reading.notes, *report.notes]
    return report
