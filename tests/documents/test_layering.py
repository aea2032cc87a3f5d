"""Core stands below the domains: it imports nothing from documents (documents log their own links)."""

from __future__ import annotations

import ast
from pathlib import Path

import mue.core

CORE = Path(mue.core.__file__).parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_core_imports_nothing_from_documents():
    offenders = {path.name: sorted(n for n in _imports(path) if n.startswith(("mue.documents", "mue import documents")))
                 for path in CORE.glob("*.py")}
    assert not {name: found for name, found in offenders.items() if found}
    assert not any("mue.documents" in path.read_text(encoding="utf-8").replace(
        ":mod:`mue.documents.signals`", "") for path in CORE.glob("*.py"))


def test_document_links_are_logged_and_follow_their_objects(db):
    """The handlers moved to mue.documents still log a link and drop the links of a deleted object."""
    from mue.core.changelog import change_context
    from mue.core.models import ChangeLogEntry, Workspace
    from mue.core.registry import registry
    from mue.documents.models import Document, DocumentLink

    ws = Workspace.objects.create(slug="docs", name="Docs")
    app = registry.by_singular("application").model.objects.create(workspace=ws, slug="app", name="App",
                                                                    kind="saas")
    with change_context("test", "shell"):
        doc = Document.objects.create(workspace=ws, slug="doc", name="Doc", kind="architecture")
        DocumentLink.objects.create(document=doc, target_type="application", target_id=app.pk)
    entry = ChangeLogEntry.objects.filter(object_type="document", action="update").get()
    assert entry.after == {"about": [f"application:{app.pk}"]}
    app.delete()
    assert not DocumentLink.objects.exists()
