"""Saving and deleting the workspace's column mappings, each change in the change log.

A saved mapping decides how the next quarter's spreadsheet is read (which column is the owner, what
"R" means): who changed it and how is part of the workspace's history, as an object's change is. The
entries name the mapping by its name (type ``mapping``), before and after as ``{type, mapping}``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from mue.core import changelog
from mue.core.models import Workspace
from mue.interchange.models import SavedMapping

MAPPING_TYPE = "mapping"


def _logged(mapping: SavedMapping) -> dict[str, Any]:
    return {"type": mapping.object_type, "mapping": mapping.mapping}


@transaction.atomic
def save_mapping(workspace: Workspace, name: str, mapping: dict[str, Any], user: Any) -> tuple[SavedMapping, bool]:
    """Save ``mapping`` under ``name`` (replacing the one of that name); logged unless nothing changed.
    Returns (saved mapping, created)."""
    existing = SavedMapping.objects.select_for_update().filter(workspace=workspace, name=name).first()
    if existing is None:
        saved = SavedMapping.objects.create(workspace=workspace, name=name, object_type=mapping["type"],
                                            mapping=mapping, updated_by=user)
        changelog.record("create", MAPPING_TYPE, saved.pk, name, workspace.pk, None, _logged(saved))
        return saved, True
    before = _logged(existing)
    existing.object_type, existing.mapping, existing.updated_by = mapping["type"], mapping, user
    if _logged(existing) != before:
        existing.save(update_fields=["object_type", "mapping", "updated_by", "updated"])
        changelog.record("update", MAPPING_TYPE, existing.pk, name, workspace.pk, before, _logged(existing))
    return existing, False


@transaction.atomic
def delete_mapping(mapping: SavedMapping) -> None:
    changelog.record("delete", MAPPING_TYPE, mapping.pk, mapping.name, mapping.workspace_id, _logged(mapping), None)
    mapping.delete()
