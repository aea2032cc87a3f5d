from mue.interchange.exporter import export_workspace
from mue.interchange.importer import import_document


def test_minimal_document_imports_and_exports(db):
    doc = {"workspace": {"slug": "w", "name": "W"},
           "applications": [{"slug": "a", "name": "A", "kind": "saas"}]}
    report = import_document(doc)
    assert report.created["applications"] == 1
    out = export_workspace_for("w")
    assert out["applications"] == [{"slug": "a", "name": "A", "kind": "saas"}]


def export_workspace_for(slug):
    from mue.core.models import Workspace

    return export_workspace(Workspace.objects.get(slug=slug))
