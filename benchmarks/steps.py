"""Measured steps, run inside a child process by :mod:`benchmarks.worker` (Django is set up there).

Each returns a dict of plain numbers; timings are taken around the work only, not Django's start.
"""

from __future__ import annotations

import csv
import statistics
import time
from pathlib import Path
from typing import Any


def register_rows(workspace_slug: str) -> dict[str, int]:
    """Rows of a workspace: register objects, link rows (many-to-many and document links), log entries."""
    from mue.core.models import ChangeLogEntry, Workspace
    from mue.core.registry import registry
    from mue.documents.models import DocumentLink

    ws = Workspace.objects.get(slug=workspace_slug)
    objects = links = 0
    for otype in registry:
        objects += otype.model.objects.filter(workspace=ws).count()
        for f in otype.model._meta.many_to_many:
            links += f.remote_field.through.objects.filter(**{f"{f.m2m_field_name()}__workspace": ws}).count()
    links += DocumentLink.objects.filter(document__workspace=ws).count()
    log = ChangeLogEntry.objects.filter(workspace=ws).count()
    return {"objects": objects, "links": links, "rows": objects + links, "log_rows": log}


def import_map(path: str) -> dict[str, Any]:
    """Import a YAML or JSON map file as ``mue import`` does; parse and pipeline timed apart."""
    from mue.interchange.importer import import_document
    from mue.interchange.sources import format_of, load_structured

    file = Path(path)
    started = time.perf_counter()
    document, locate = load_structured(file.read_bytes(), file.name, format_of(file))
    parsed = time.perf_counter()
    report = import_document(document, source=file.name, locate=locate, actor="bench", channel="import")
    done = time.perf_counter()
    return {"parse_seconds": parsed - started, "import_seconds": done - parsed, "seconds": done - started,
            **register_rows(report.workspace)}


def import_tables(directory: str, workspace: str) -> dict[str, Any]:
    """Import one CSV file per object type (registry order) into a workspace, as ``mue import --type``."""
    from mue.core.registry import registry
    from mue.interchange.files import import_file
    from mue.interchange.importer import import_document

    import_document({"workspace": {"slug": workspace, "name": workspace}}, source="bench")
    started = time.perf_counter()
    for otype in registry:
        path = Path(directory) / f"{otype.key}.csv"
        if path.exists():
            import_file(path, workspace=workspace, object_type=otype.key, actor="bench", channel="import")
    return {"seconds": time.perf_counter() - started, **register_rows(workspace)}


def write_tables(map_path: str, directory: str) -> dict[str, Any]:
    """Write a map file's objects as one CSV file per type, in the columns of the CSV templates."""
    from mue.core.registry import registry
    from mue.interchange.sources import format_of, load_structured
    from mue.interchange.tabular import columns_of

    file = Path(map_path)
    document, _ = load_structured(file.read_bytes(), file.name, format_of(file))
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    for otype in registry:
        items = document.get(otype.key) or []
        columns = [key for key, _mf in columns_of(otype)]
        with (out / f"{otype.key}.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(columns)
            for item in items:
                writer.writerow([_cell(_lookup(item, key)) for key in columns])
    return {"files": len(registry)}


def _lookup(item: dict, key: str) -> Any:
    if "." in key:
        group, member = key.split(".", 1)
        return (item.get(group) or {}).get(member)
    return item.get(key)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def baseline_insert() -> dict[str, Any]:
    """The raw baseline: the rows an import wrote (read from the ``source`` database), inserted again
    into the same tables of this empty database with DB-API ``executemany``, in one transaction.

    Only the inserts are timed; the rows are read and put in parameter form first.
    """
    from django.db import connections, transaction

    from mue.core.models import ChangeLogEntry, Workspace
    from mue.core.registry import registry
    from mue.documents.models import DocumentLink

    models = [otype.model for otype in registry]
    models += [f.remote_field.through for m in list(models) for f in m._meta.many_to_many]
    models += [DocumentLink, ChangeLogEntry]
    db = connections["default"]
    tables = [_table_rows(Workspace, db)]
    tables += [_table_rows(model, db) for model in models]
    with transaction.atomic(), db.cursor() as cursor:
        cursor.executemany(*tables[0][:2])  # the workspace row: not timed, FKs need it
        started = time.perf_counter()
        for sql, rows, _model in tables[1:]:
            for start in range(0, len(rows), 5000):
                cursor.executemany(sql, rows[start:start + 5000])
        seconds = time.perf_counter() - started
    written = {m: len(rows) for _sql, rows, m in tables[1:]}
    log = written.pop(ChangeLogEntry)
    return {"seconds": seconds, "rows": sum(written.values()), "log_rows": log}


def _table_rows(model, db) -> tuple[str, list[tuple], type]:
    from django.db import connections
    from django.db.models import JSONField

    fields = list(model._meta.concrete_fields)
    quote = db.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    with connections["source"].cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {quote(model._meta.db_table)} ORDER BY {quote(model._meta.pk.column)}")
        rows = cursor.fetchall()
    json_columns = [i for i, f in enumerate(fields) if isinstance(f, JSONField)]
    if json_columns and db.vendor != "sqlite":  # PostgreSQL hands JSON back as Python values
        rows = [tuple(fields[i].get_db_prep_save(v, db) if i in json_columns else v for i, v in enumerate(row))
                for row in rows]
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    return sql, rows, model


def export(workspace: str) -> dict[str, Any]:
    """``mue export`` of a workspace as JSON and as YAML, against reading its rows with raw SQL."""
    from mue.core.models import Workspace
    from mue.interchange.exporter import dumps, export_workspace

    ws = Workspace.objects.get(slug=workspace)
    started = time.perf_counter()
    document = export_workspace(ws)
    built = time.perf_counter()
    as_json = dumps(document, "json")
    json_done = time.perf_counter()
    as_yaml = dumps(document, "yaml")
    yaml_done = time.perf_counter()
    del document
    from mue.interchange.archimate.writer import export_archimate

    archimate_started = time.perf_counter()
    as_archimate = export_archimate(ws)
    archimate_seconds = time.perf_counter() - archimate_started
    return {"build_seconds": built - started, "json_seconds": json_done - started,
            "yaml_seconds": (yaml_done - json_done) + (built - started), "json_bytes": len(as_json),
            "yaml_bytes": len(as_yaml), "raw_seconds": _raw_read(ws), "archimate_seconds": archimate_seconds,
            "archimate_bytes": len(as_archimate)}


def _raw_read(ws) -> float:
    """Read every row the export reads, with plain SQL through the DB-API cursor."""
    from django.db import connection

    from mue.core.registry import registry
    from mue.documents.models import DocumentLink

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for otype in registry:
            sql, params = otype.model.objects.filter(workspace=ws).order_by("slug").values().query.sql_with_params()
            cursor.execute(sql, params)
            cursor.fetchall()
            for f in otype.model._meta.many_to_many:
                through = f.remote_field.through
                qs = through.objects.filter(**{f"{f.m2m_field_name()}__workspace": ws}).values_list(
                    f"{f.m2m_field_name()}_id", f"{f.m2m_reverse_field_name()}_id")
                cursor.execute(*qs.query.sql_with_params())
                cursor.fetchall()
        qs = DocumentLink.objects.filter(document__workspace=ws).values_list("document_id", "target_type", "target_id")
        cursor.execute(*qs.query.sql_with_params())
        cursor.fetchall()
    return time.perf_counter() - started


def list_pages(workspace: str, repeats: int = 5, page_size: int = 50) -> dict[str, Any]:
    """The admin list query of every type (its select_related), first and last page, against its raw SQL."""
    from django.contrib import admin
    from django.db import connection

    from mue.core.models import Workspace
    from mue.core.registry import registry

    ws = Workspace.objects.get(slug=workspace)
    out: dict[str, Any] = {}
    for otype in registry:
        model_admin = admin.site._registry[otype.model]
        related = list(model_admin.list_select_related or ())
        qs = otype.model.objects.filter(workspace=ws).select_related(*related).order_by("slug", "-pk")
        total = qs.count()
        for page, offset in (("first", 0), ("last", max(0, total - page_size))):
            window = qs[offset:offset + page_size]

            def orm(window=window, related=related):
                for obj in window.all():
                    for name in related:
                        str(getattr(obj, name) or "")

            def raw(window=window):
                with connection.cursor() as cursor:
                    cursor.execute(*window.query.sql_with_params())
                    cursor.fetchall()

            out[f"{otype.key}:{page}"] = {"rows": total, "orm_ms": _median_ms(orm, repeats),
                                          "raw_ms": _median_ms(raw, repeats)}
    return out


def _median_ms(func, repeats: int) -> float:
    func()  # warm: compiled SQL, caches
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)
