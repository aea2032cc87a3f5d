"""The handover archive: everything a workspace holds, in one ZIP another instance restores as it was.

"A third party can take over at any moment" (the charter). The archive holds:

* ``manifest.json`` — format version, the workspace, per table its file, row count and SHA-256, per
  attached file its SHA-256 and size;
* ``README.md`` — what every file is, in French and English, for someone without Mue;
* ``map.yaml`` — the register as map as code (``mue import`` reads it on any instance);
* ``data/<app>.<model>.jsonl`` — every row of every table that belongs to the workspace (found as
  workspace deletion finds them, :func:`mue.core.deletion.deletion_order`): the register and its
  links, the whole change log, comments, audit runs with findings and waivers, questionnaire
  answers, discovery results (pseudonymised as stored), reports with their action plans, reviews,
  declared interests and requests for information — one JSON object per line, keyed by column;
* ``files/`` — the documents' attached files; ``reports/`` — the published reports' files, byte
  for byte.

Memberships and invitations are not carried: accounts belong to an instance. References to user
accounts are emptied; the names stored beside them (author, actor) are kept.

:func:`restore` checks the whole archive first (ZIP structure and CRCs, manifest, format version,
every checksum and count) and writes nothing when anything is wrong; then it writes everything in
one transaction. Ids are renumbered after the target's own (so an archive restores next to other
workspaces, or twice with ``--as``), in the same order: every foreign key, every "type and id"
reference (change log, findings, comments, document links) and the ids inside the change log's
before/after values follow. Ids of objects deleted before the handover, which only the change log
still names, become their negative, so they never meet a live object's.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import io
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from mue.core.models import Workspace
from mue.core.registry import registry

FORMAT = "mue-handover/1"
README = Path(__file__).resolve().parent / "templates" / "reports" / "handover-README.md"
NOT_CARRIED = {"core.Membership", "accounts.Invitation"}


class HandoverError(ValueError):
    """The archive cannot be restored (the message says why); nothing was written."""


def carried_models() -> list[type[models.Model]]:
    """The tables of a workspace in the archive, each after the tables it references (parents first)."""
    from mue.core.deletion import deletion_order

    return [m for m in reversed(deletion_order()) if m._meta.label not in NOT_CARRIED]


def _generic_refs(model: type[models.Model]) -> list[tuple[str, str]]:
    """(type column, id column) pairs naming any object by registry type and id."""
    names = {f.attname for f in model._meta.concrete_fields}
    return [(f"{p}_type", f"{p}_id") for p in ("object", "target") if {f"{p}_type", f"{p}_id"} <= names]


def model_of_type(type_name: str) -> type[models.Model] | None:
    """The model a logged "type" name stands for (register types, comments, saved mappings, the workspace)."""
    if type_name == "workspace":
        return Workspace
    if type_name == "comment":
        from mue.comments.models import Comment

        return Comment
    if type_name == "mapping":
        from mue.interchange.models import SavedMapping

        return SavedMapping
    try:
        return registry.by_singular(type_name).model
    except KeyError:
        return None


# -- writing -------------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def _columns(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.concrete_fields)


def _rows(model: type[models.Model], workspace: Workspace):
    from mue.core.integrity import workspace_path

    return model._base_manager.filter(**{workspace_path(model): workspace.pk}).order_by("pk")


def _blob_name(model: type[models.Model], row: dict[str, Any], column: str) -> str:
    if model._meta.label == "reports.ReportFile":
        return f"reports/report-{row['report_id']}.{row['format']}"
    return f"blobs/{model._meta.label}/{row['id']}-{column}"


@dataclass
class HandoverSummary:
    workspace: str
    tables: dict[str, int] = field(default_factory=dict)
    files: int = 0

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def write_handover(workspace: Workspace, target) -> HandoverSummary:
    """Write the archive of ``workspace`` to ``target`` (a path or a binary file object)."""
    from mue.interchange.files import export_file

    summary = HandoverSummary(workspace.slug)
    manifest: dict[str, Any] = {"format": FORMAT, "created": timezone.now().isoformat(),
                                "workspace": {"slug": workspace.slug, "name": workspace.name},
                                "tables": {}, "files": {}}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        def put(name: str, data: bytes) -> None:
            archive.writestr(name, data)
            manifest["files"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}

        put("map.yaml", export_file(workspace, "yaml"))
        ws_row = {f.attname: _encode(f.value_from_object(workspace)) for f in _columns(Workspace)}
        _put_table(archive, manifest, "core.Workspace", [orjson.dumps(ws_row)])
        for model in carried_models():
            pending: list[tuple[str, bytes]] = []  # files of this table, written once its rows are
            binaries = [f for f in _columns(model) if isinstance(f, models.BinaryField)]
            files = [f for f in _columns(model) if isinstance(f, models.FileField)]
            names = [f.attname for f in _columns(model)]

            def lines(model=model, binaries=binaries, files=files, names=names, pending=pending):
                for values in _rows(model, workspace).values_list(*names).iterator(chunk_size=5000):
                    row = dict(zip(names, values, strict=True))
                    for f in binaries:
                        if row[f.attname] is not None:
                            blob = _blob_name(model, row, f.attname)
                            pending.append((blob, bytes(row[f.attname])))
                            row[f.attname] = {"$file": blob}
                    for f in files:
                        if row[f.attname]:
                            with default_storage.open(row[f.attname], "rb") as handle:
                                pending.append((f"files/{row[f.attname]}", handle.read()))
                            summary.files += 1
                    yield orjson.dumps({k: _encode(v) for k, v in row.items()})

            summary.tables[model._meta.label] = _put_table(archive, manifest, model._meta.label, lines())
            for name, data in pending:
                put(name, data)
        put("README.md", README.read_bytes())
        archive.writestr("manifest.json", orjson.dumps(manifest, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
    return summary


def _put_table(archive: zipfile.ZipFile, manifest: dict, label: str, lines) -> int:
    """Stream a table's rows into the archive as JSON lines (never the whole table in memory)."""
    name = f"data/{label}.jsonl"
    digest, size, count = hashlib.sha256(), 0, 0
    with archive.open(name, "w", force_zip64=True) as out:
        for line in lines:
            line += b"\n"
            out.write(line)
            digest.update(line)
            size += len(line)
            count += 1
    manifest["files"][name] = {"sha256": digest.hexdigest(), "size": size}
    manifest["tables"][label] = {"file": name, "rows": count}
    return count


# -- reading -------------------------------------------------------------------------------------


@dataclass
class Archive:
    manifest: dict[str, Any]
    tables: dict[str, list[dict[str, Any]]]
    blobs: dict[str, bytes]


def read_archive(source) -> Archive:
    """Read and check the whole archive (structure, CRCs, manifest, checksums, counts) or raise."""
    name = getattr(source, "name", str(source))
    try:
        with zipfile.ZipFile(source) as archive:
            try:
                manifest = orjson.loads(archive.read("manifest.json"))
            except KeyError:
                raise HandoverError(_("%(file)s is not a Mue handover archive (no manifest.json)")
                                    % {"file": Path(name).name}) from None
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise HandoverError(_("%(file)s: unknown archive format %(format)s (this Mue reads %(known)s)")
                                    % {"file": Path(name).name, "format": repr(manifest.get("format")
                                                                               if isinstance(manifest, dict) else None),
                                       "known": FORMAT})
            contents: dict[str, bytes] = {}
            for entry, facts in manifest.get("files", {}).items():
                data = archive.read(entry)  # a damaged entry fails its CRC here
                if hashlib.sha256(data).hexdigest() != facts.get("sha256") or len(data) != facts.get("size"):
                    raise HandoverError(_("%(file)s: %(entry)s does not match its checksum: the archive was "
                                          "altered or damaged") % {"file": Path(name).name, "entry": entry})
                contents[entry] = data
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, orjson.JSONDecodeError, KeyError) as exc:
        raise HandoverError(_("%(file)s is not a complete handover archive (%(error)s)")
                            % {"file": Path(name).name, "error": exc}) from None
    tables = {}
    for label, facts in manifest.get("tables", {}).items():
        data = contents.get(facts.get("file"))
        if data is None:
            raise HandoverError(_("%(file)s: table %(table)s is missing") % {"file": Path(name).name, "table": label})
        rows = [orjson.loads(line) for line in data.splitlines() if line]
        if len(rows) != facts.get("rows"):
            raise HandoverError(_("%(file)s: table %(table)s has %(found)s rows, the manifest says %(said)s")
                                % {"file": Path(name).name, "table": label, "found": len(rows),
                                   "said": facts.get("rows")})
        tables[label] = rows
    if len(tables.get("core.Workspace", [])) != 1:
        raise HandoverError(_("%(file)s holds no workspace") % {"file": Path(name).name})
    return Archive(manifest, tables, contents)


# -- restoring -----------------------------------------------------------------------------------


class _Ids:
    """Old id -> new id per model: after the target's highest id, in the archive's order."""

    def __init__(self) -> None:
        self.maps: dict[type[models.Model], dict[int, int]] = {}

    def plan(self, model: type[models.Model], old_ids: list[int]) -> None:
        top = model._base_manager.aggregate(top=Max("pk"))["top"] or 0
        self.maps[model] = {old: top + rank for rank, old in enumerate(sorted(old_ids), start=1)}

    def get(self, model: type[models.Model] | None, old: Any) -> Any:
        if old is None or model is None or model not in self.maps:
            return old
        new = self.maps[model].get(old)
        return new if new is not None else -abs(old)  # an object deleted before the handover


def _snapshot(ids: _Ids, model: type[models.Model] | None, values: Any) -> Any:
    """The ids inside a change-log snapshot of ``model`` (foreign keys, many-to-many lists) renumbered."""
    if model is None or not isinstance(values, dict):
        return values
    out = dict(values)
    for f in model._meta.concrete_fields:
        if f.many_to_one and f.attname in out:
            out[f.attname] = ids.get(f.related_model, out[f.attname])
    for f in model._meta.many_to_many:
        if isinstance(out.get(f.name), list):
            out[f.name] = [ids.get(f.related_model, v) for v in out[f.name]]
    return out


def _insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    fields = _columns(model)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    values = [[f.get_db_prep_save(row[f.attname], connection) for f in fields] for row in rows]
    with connection.cursor() as cursor:
        for start in range(0, len(values), 2000):
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", values[start:start + 2000])


def _decode(f: models.Field, value: Any, blobs: dict[str, bytes]) -> Any:
    if value is None or isinstance(f, models.JSONField):
        return value
    if isinstance(f, models.BinaryField):
        return blobs[value["$file"]] if isinstance(value, dict) else base64.b64decode(value)
    if isinstance(f, models.DateTimeField):
        parsed = dt.datetime.fromisoformat(value)
        return parsed if not settings.USE_TZ or timezone.is_aware(parsed) else timezone.make_aware(parsed)
    return f.to_python(value)


def restore(source, slug: str | None = None) -> Workspace:
    """Rebuild the archived workspace (as ``slug`` when given), all or nothing (see the module docstring)."""
    archive = read_archive(source)
    ws_row = archive.tables["core.Workspace"][0]
    slug = slug or ws_row["slug"]
    if Workspace.objects.filter(slug=slug).exists():
        raise HandoverError(_("a workspace '%(slug)s' already exists here: restore it under another name with "
                              "--as SLUG") % {"slug": slug})
    known = {m._meta.label: m for m in carried_models()}
    unknown = sorted(set(archive.tables) - set(known) - {"core.Workspace"})
    if unknown:
        raise HandoverError(_("the archive holds tables this Mue does not know (%(tables)s): restore it on the "
                              "version of Mue that wrote it or a newer one") % {"tables": ", ".join(unknown)})
    written: list[str] = []
    try:
        with transaction.atomic():
            return _restore(archive, ws_row, slug, known, written)
    except (DatabaseError, ValueError, TypeError, KeyError) as exc:
        for name in written:  # files saved for a restore that did not happen
            default_storage.delete(name)
        if isinstance(exc, HandoverError):
            raise
        raise HandoverError(_("the archive's data cannot be written (%(error)s)") % {"error": exc}) from exc


def _restore(archive: Archive, ws_row: dict, slug: str, known: dict, written: list[str]) -> Workspace:
    user_model = settings.AUTH_USER_MODEL
    ids = _Ids()
    ids.plan(Workspace, [ws_row["id"]])
    for label, model in known.items():
        ids.plan(model, [row["id"] for row in archive.tables.get(label, [])])
    workspace_fields = {f.attname: f for f in _columns(Workspace)}
    row = {k: _decode(workspace_fields[k], v, archive.blobs) for k, v in ws_row.items() if k in workspace_fields}
    row.update(id=ids.get(Workspace, ws_row["id"]), slug=slug)
    _insert(Workspace, [row])
    for label, model in known.items():
        fields = _columns(model)
        generic = _generic_refs(model)
        out = []
        for data in archive.tables.get(label, []):
            row = {f.attname: _decode(f, data.get(f.attname), archive.blobs) for f in fields}
            row["id"] = ids.get(model, row["id"])
            for f in fields:
                if not f.many_to_one:
                    continue
                if f.related_model._meta.label == user_model:
                    row[f.attname] = None  # accounts stay on their instance; the names beside them remain
                else:
                    row[f.attname] = ids.get(f.related_model, row[f.attname])
            for type_column, id_column in generic:
                target = model_of_type(row[type_column])
                row[id_column] = ids.get(target, row[id_column])
                if label == "core.ChangeLogEntry":
                    row["before"] = _snapshot(ids, target, row["before"])
                    row["after"] = _snapshot(ids, target, row["after"])
            for f in fields:
                if isinstance(f, models.FileField) and row[f.attname]:
                    saved = default_storage.save(row[f.attname],
                                                 ContentFile(archive.blobs[f"files/{data[f.attname]}"]))
                    written.append(saved)
                    row[f.attname] = saved
            out.append(row)
        _insert(model, out)
    for statement in connection.ops.sequence_reset_sql(no_style(), [Workspace, *known.values()]):
        with connection.cursor() as cursor:
            cursor.execute(statement)
    return Workspace.objects.get(slug=slug)


def archive_bytes(workspace: Workspace) -> bytes:
    out = io.BytesIO()
    write_handover(workspace, out)
    return out.getvalue()
