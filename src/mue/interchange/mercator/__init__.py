"""Import from Mercator, the open-source cartography tool of the ANSSI's method (Didier Barzin, GPL-3.0).

A MySQL/MariaDB or PostgreSQL dump of its database is read as text (:mod:`.dump`: nothing is run),
mapped onto the register (:mod:`.mapping`) and imported by the one pipeline,
:func:`mue.interchange.importer.import_document`: all or nothing, idempotent, logged. What was
mapped, merged and left out is in the report's notes.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from mue.interchange.importer import ImportReport, ProgressHook, import_document
from mue.interchange.problems import ImportFailed, Problem

#: Tables that say a dump is Mercator's (its application and entity views).
SIGNATURE = ("m_applications", "entities")


def read_mercator(data: bytes, source: str, workspace: str | None) -> tuple[dict[str, Any], list[str]]:
    """The map document of a Mercator dump for ``workspace``, and the notes of what was mapped."""
    from mue.core.inputs import decode_text
    from mue.core.models import Workspace
    from mue.interchange.mercator.dump import DumpError, read_dump
    from mue.interchange.mercator.mapping import MercatorMapping

    if not workspace:
        raise ImportFailed([Problem(source, (0,), "", "", _("a Mercator import needs a workspace (--workspace)"))])
    text, _encoding = decode_text(data)
    try:
        dump = read_dump(text)
    except DumpError as exc:
        raise ImportFailed([Problem(source, (exc.line,), _("line %(n)s") % {"n": exc.line}, "", str(exc))]) from None
    if not any(dump.rows(table) for table in SIGNATURE):
        raise ImportFailed([Problem(source, (0,), "", "", _(
            "no rows of Mercator's tables (%(tables)s): is this a dump of a Mercator database, with its data?")
            % {"tables": ", ".join(SIGNATURE)})])
    mapping = MercatorMapping(dump)
    document: dict[str, Any] = mapping.build()
    if not Workspace.objects.filter(slug=workspace).exists():
        document = {"workspace": {"slug": workspace, "name": _("Imported from Mercator")}, **document}
    return document, mapping.notes()


def _locate(document: dict[str, Any]):
    def locate(path: tuple) -> tuple[tuple, str]:
        if len(path) >= 2 and isinstance(path[1], int):
            items = document.get(path[0]) or []
            if path[1] < len(items) and isinstance(items[path[1]], dict):
                return (1, path[0], path[1]), _("Mercator row %(slug)s") % {"slug": items[path[1]].get("slug")}
        return (0,), ""

    return locate


def import_mercator(data: bytes, *, source: str, workspace: str | None, actor: str = "system",
                    channel: str = "import", progress: ProgressHook | None = None,
                    dry_run: bool = False) -> ImportReport:
    """Import a Mercator database dump into ``workspace`` (created when it does not exist)."""
    document, notes = read_mercator(data, source, workspace)
    report = import_document(document, source=source, locate=_locate(document), workspace=workspace,
                             progress=progress, actor=actor, channel=channel, dry_run=dry_run)
    report.notes = [*notes, *report.notes]
    return report
