"""A small hand-built workspace whose impacts, needs, single points of failure and lineage are known."""

from __future__ import annotations

import copy

import pytest

from mue.interchange.importer import import_document

TOWN = {
    "workspace": {"slug": "ville", "name": "Ville", "kind": "commune", "country": "FR"},
    "units": [
        {"slug": "dgs", "name": "DGS"},
        {"slug": "enfance", "name": "Enfance", "parent": "dgs"},
        {"slug": "finances", "name": "Finances", "parent": "dgs"},
        {"slug": "compta", "name": "Service comptable", "parent": "finances"},  # same slug as an application
    ],
    "parties": [
        {"slug": "editeur-x", "name": "Éditeur X", "country": "FR"},
        {"slug": "cloud-us", "name": "Cloud US", "country": "US"},
    ],
    "sites": [{"slug": "mairie", "name": "Mairie"}],
    "data_categories": [
        {"slug": "familles", "name": "Familles", "personal_data": "personal"},
        {"slug": "paie", "name": "Paie", "personal_data": "personal"},
    ],
    "assets": [
        {"slug": "hv1", "name": "Hyperviseur", "kind": "server", "site": "mairie"},
        {"slug": "vm-cantine", "name": "VM cantine", "kind": "virtual-machine", "host": "hv1"},
        {"slug": "srv-a", "name": "Serveur A", "kind": "server"},
        {"slug": "srv-b", "name": "Serveur B", "kind": "server"},
        {"slug": "nas", "name": "NAS", "kind": "storage", "tags": ["cluster"]},
    ],
    "applications": [
        {"slug": "portail", "name": "Portail Famille", "kind": "saas", "vendor": "editeur-x",
         "hosting_country": "FR", "data": ["familles"]},
        {"slug": "cantine-app", "name": "Logiciel cantine", "kind": "on-premises", "depends_on": ["portail"],
         "runs_on": ["vm-cantine"]},
        {"slug": "paie-app", "name": "Paie", "kind": "on-premises", "runs_on": ["srv-a", "srv-b"], "data": ["paie"]},
        {"slug": "ged", "name": "GED", "kind": "custom", "runs_on": ["nas"]},
        {"slug": "analytics", "name": "Statistiques <cloud>", "kind": "saas", "vendor": "cloud-us",
         "hosting_country": "US"},
        {"slug": "compta", "name": "Comptabilité", "kind": "on-premises", "runs_on": ["srv-a"]},
    ],
    "services": [
        {"slug": "cantine", "name": "Cantine", "criticality": 3, "rto_hours": 24, "units": ["enfance"],
         "needs": {"availability": 3, "integrity": 2, "confidentiality": 3, "traceability": 2},
         "applications": ["portail", "cantine-app"]},
        {"slug": "paie", "name": "Paie des agents", "criticality": 4, "rto_hours": 72, "units": ["finances"],
         "needs": {"availability": 2, "confidentiality": 4}, "applications": ["paie-app", "ged"]},
        {"slug": "stats", "name": "Statistiques", "criticality": 1, "rto_hours": 8, "applications": ["analytics"]},
    ],
    "processes": [{"slug": "inscription", "name": "Inscription", "unit": "enfance", "services": ["cantine"]}],
    "flows": [
        {"from": "unit:enfance", "to": "portail", "data": ["familles"]},
        {"from": "portail", "to": "cantine-app", "data": ["familles"]},
        {"from": "cantine-app", "to": "analytics", "data": ["familles"]},
        {"from": "paie-app", "to": "application:compta", "data": ["paie"]},
    ],
}


def load(document: dict):
    """Import a map document and return its workspace."""
    from mue.core.models import Workspace

    report = import_document(copy.deepcopy(document), source="test.yaml")
    return Workspace.objects.get(slug=report.workspace)


@pytest.fixture
def town(db):
    return load(TOWN)


@pytest.fixture
def town_graph(town):
    from mue.graph.build import build_graph

    return build_graph(town)


def scaled(n: int) -> dict:
    """A workspace whose size grows with ``n``: n services, 3n applications, 2n assets, 6n flows."""
    apps = [{"slug": f"app-{i}", "name": f"App {i}", "kind": "saas" if i % 2 else "on-premises",
             "vendor": "v", "runs_on": [f"srv-{i % (2 * n)}", f"srv-{(i + 1) % (2 * n)}"],
             "depends_on": [f"app-{i - 1}"] if i else [], "data": ["d"]} for i in range(3 * n)]
    return {
        "workspace": {"slug": f"scaled-{n}", "name": "Scaled"},
        "units": [{"slug": f"u-{i}", "name": f"U {i}"} for i in range(n)],
        "parties": [{"slug": "v", "name": "V", "country": "US"}],
        "sites": [{"slug": "s", "name": "S"}],
        "data_categories": [{"slug": "d", "name": "D", "personal_data": "personal"}],
        "assets": [{"slug": f"srv-{i}", "name": f"Srv {i}", "kind": "server", "site": "s",
                    "host": f"srv-{i - 1}" if i % 2 else None} for i in range(2 * n)],
        "applications": apps,
        "services": [{"slug": f"svc-{i}", "name": f"Svc {i}", "criticality": 1 + i % 4, "rto_hours": 4 + i,
                      "units": [f"u-{i}"], "applications": [f"app-{3 * i}", f"app-{3 * i + 1}"]}
                     for i in range(n)],
        "processes": [{"slug": f"p-{i}", "name": f"P {i}", "unit": f"u-{i}", "services": [f"svc-{i}"]}
                      for i in range(n)],
        "flows": [{"from": f"app-{i % (3 * n)}", "to": f"app-{(i * 7 + 1) % (3 * n)}", "data": ["d"]}
                  for i in range(6 * n)] + [{"from": f"unit:u-{i}", "to": f"app-{i}"} for i in range(n)],
    }
