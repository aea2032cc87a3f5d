"""Helpers shared by tests: the database's state, small workspaces."""

from __future__ import annotations

from mue.core.models import ChangeLogEntry, Workspace
from mue.core.registry import registry
from mue.documents.models import DocumentLink


def database_state() -> dict[str, object]:
    """Counts of every register table, links and change log, plus each workspace's export."""
    from mue.interchange.exporter import export_workspace

    state: dict[str, object] = {t.key: t.model.objects.count() for t in registry}
    state["changelog"] = ChangeLogEntry.objects.count()
    state["document_links"] = DocumentLink.objects.count()
    state["workspaces"] = {ws.slug: export_workspace(ws) for ws in Workspace.objects.all()}
    return state


BASE_DOCUMENT = {
    "workspace": {"slug": "valmont", "name": "Commune de Valmont", "kind": "commune"},
    "units": [{"slug": "dgs", "name": "DGS"}, {"slug": "enfance", "name": "Enfance", "parent": "dgs"}],
    "people": [{"slug": "m-durand", "name": "Marie Durand", "unit": "enfance"}],
    "parties": [{"slug": "editeur-x", "name": "Éditeur X", "country": "FR"}],
    "data_categories": [{"slug": "familles", "name": "Familles", "personal_data": "personal"}],
    "applications": [
        {"slug": "portail", "name": "Portail Famille", "kind": "saas", "vendor": "editeur-x", "status": "approved"},
        {"slug": "cantine-app", "name": "Logiciel cantine", "kind": "on-premises", "depends_on": ["portail"]},
    ],
    "services": [{"slug": "cantine", "name": "Cantine", "criticality": 3, "business_owner": "m-durand",
                  "needs": {"availability": 3}, "applications": ["portail", "cantine-app"]}],
    "flows": [{"from": "portail", "to": "cantine-app", "data": ["familles"], "encrypted": True}],
}
