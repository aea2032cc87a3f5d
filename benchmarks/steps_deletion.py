"""Measured steps of ``bench_delete``: deleting the generated workspace, and the bare DELETEs it sends."""

from __future__ import annotations

import time
from typing import Any


def delete_workspace(workspace: str) -> dict[str, Any]:
    """``mue.core.deletion.delete_workspace`` on the generated workspace, timed around the call."""
    from mue.core.deletion import delete_workspace as delete
    from mue.core.models import Workspace

    ws = Workspace.objects.get(slug=workspace)
    started = time.perf_counter()
    report = delete(ws)
    return {"seconds": time.perf_counter() - started, "rows": report.total, "tables": len(report.counts)}


def raw_deletes(workspace: str) -> dict[str, Any]:
    """The baseline: the same DELETE statements (compiled first, untimed) sent through the DB-API cursor
    in one transaction, with no Python around them."""
    from django.db import connection, transaction
    from django.db.models.sql import DeleteQuery

    from mue.core.deletion import deletion_order
    from mue.core.integrity import workspace_path
    from mue.core.models import Workspace

    ws = Workspace.objects.get(slug=workspace)
    statements = []
    for model in [*deletion_order(), Workspace]:
        lookup = {workspace_path(model): ws.pk} if model is not Workspace else {"pk": ws.pk}
        query = model._base_manager.filter(**lookup).order_by().query.clone()
        query.__class__ = DeleteQuery
        statements.append(query.get_compiler(connection.alias).as_sql())
    rows = 0
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            rows += max(cursor.rowcount, 0)
    return {"seconds": time.perf_counter() - started, "rows": rows}
