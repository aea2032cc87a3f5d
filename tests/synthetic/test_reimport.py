"""A generated workspace, custom field values included, imports and then re-imports as unchanged."""

from __future__ import annotations

import pytest

from mue.core.models import Workspace
from mue.interchange.exporter import export_workspace
from mue.interchange.importer import import_document
from mue.synthetic.generator import build_document

pytestmark = pytest.mark.django_db


def test_reimporting_a_generated_workspace_changes_nothing():
    doc = build_document("S", 5)
    assert any(item.get("custom") for items in doc.values() if isinstance(items, list) for item in items
               if isinstance(item, dict))
    first = import_document(doc)
    assert sum(first.created.values()) > 0
    again = import_document(doc)
    assert sum(again.created.values()) == 0
    assert sum(again.updated.values()) == 0, again.updated


def test_exported_workspace_reimports_unchanged():
    doc = build_document("S", 6)
    import_document(doc)
    exported = export_workspace(Workspace.objects.get(slug=doc["workspace"]["slug"]))
    again = import_document(exported)
    assert sum(again.updated.values()) == 0, again.updated
