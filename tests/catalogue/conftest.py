"""A small commune whose promised levels are known to be kept or not, one breach of each kind."""

from __future__ import annotations

import copy

import pytest

from mue.interchange.importer import import_document

COMMUNE = {
    "workspace": {"slug": "bourg", "name": "Bourg", "kind": "commune", "country": "FR"},
    "units": [
        {"slug": "dsi", "name": "Informatique", "is_it": True},
        {"slug": "enfance", "name": "Enfance"},
        {"slug": "police", "name": "Police"},
    ],
    "people": [
        {"slug": "ana", "name": "Ana IT", "unit": "dsi", "email": "ana@bourg.example"},
        {"slug": "marc", "name": "Marc Enfance", "unit": "enfance"},
    ],
    "support_teams": [{"slug": "support", "name": "Support", "unit": "dsi", "support_hours": "office",
                       "contact": "ana"}],
    "parties": [
        {"slug": "editeur", "name": "Éditeur", "country": "FR"},
        {"slug": "nocontract", "name": "Sans contrat", "country": "FR"},
    ],
    "assets": [
        {"slug": "srv-police", "name": "Serveur police", "kind": "server"},
        {"slug": "hv1", "name": "Hyperviseur 1", "kind": "server"},
        {"slug": "hv2", "name": "Hyperviseur 2", "kind": "server"},
        {"slug": "vm-a", "name": "VM A", "kind": "virtual-machine", "host": "hv1"},
        {"slug": "vm-b", "name": "VM B", "kind": "virtual-machine", "host": "hv2"},
    ],
    "applications": [
        {"slug": "portail", "name": "Portail", "kind": "saas", "vendor": "editeur"},
        {"slug": "sondage", "name": "Sondages", "kind": "saas", "vendor": "nocontract"},
        {"slug": "main-courante", "name": "Main courante", "kind": "on-premises", "runs_on": ["srv-police"]},
        {"slug": "etat-civil-app", "name": "État civil", "kind": "on-premises", "runs_on": ["vm-a", "vm-b"]},
    ],
    "services": [
        {"slug": "cantine", "name": "Cantine", "criticality": 3, "rto_hours": 24, "units": ["enfance"],
         "applications": ["portail"]},
        {"slug": "police", "name": "Police municipale", "criticality": 3, "rto_hours": 8, "units": ["police"],
         "applications": ["main-courante"]},
        {"slug": "etat-civil", "name": "État civil", "criticality": 4, "rto_hours": 24, "units": ["enfance"],
         "applications": ["etat-civil-app"]},
        {"slug": "enquetes", "name": "Enquêtes", "criticality": 1, "units": ["enfance"], "applications": ["sondage"]},
        {"slug": "archive", "name": "Archivé", "lifecycle": "retire", "units": ["enfance"]},
    ],
    "service_levels": [
        # Cantine: 99.9 % on a SaaS promising 99.5 %, RTO 24 h on a contract restoring in 48 h,
        # extended support on a team answering office hours.
        {"slug": "sla-cantine", "name": "SLA cantine", "service": "cantine", "availability_target": 99.9,
         "service_hours": "extended", "support_hours": "extended", "support_team": "support",
         "it_commitments": "Suivre l'éditeur.", "business_commitments": "Signaler.", "it_contact": "ana",
         "business_contact": "marc"},
        # Police: 99.9 % on one server, RTO 8 h while the last restore test took 12 h.
        {"slug": "sla-police", "name": "SLA police", "service": "police", "availability_target": 99.9,
         "support_hours": "office", "support_team": "support"},
        # État civil: everything keepable (two VMs on two hosts, 6 h restore for 24 h).
        {"slug": "sla-etat-civil", "name": "SLA état civil", "service": "etat-civil", "availability_target": 99.9,
         "support_hours": "office", "support_team": "support", "rto_hours": 24},
        # Enquêtes: a level resting on a SaaS vendor without any contract.
        {"slug": "sla-enquetes", "name": "SLA enquêtes", "service": "enquetes", "availability_target": 99.0},
    ],
    "service_level_targets": [
        {"slug": "cantine-p1", "name": "Cantine P1", "agreement": "sla-cantine", "priority": "P1",
         "response_minutes": 30, "resolution_hours": 4},
        {"slug": "cantine-p2", "name": "Cantine P2", "agreement": "sla-cantine", "priority": "P2",
         "response_minutes": 120, "resolution_hours": 8},
    ],
    "contracts": [
        {"slug": "contrat-editeur", "name": "Contrat éditeur", "vendor": "editeur", "applications": ["portail"],
         "availability_percent": 99.5, "rto_hours": 48, "support_hours": "office"},
    ],
    "costs": [
        {"slug": "cout-portail", "name": "Portail", "amount": 1200, "year": 2026, "kind": "subscription",
         "service": "cantine"},
        {"slug": "cout-ec", "name": "État civil", "amount": 900, "year": 2026, "kind": "support",
         "application": "etat-civil-app"},
        {"slug": "cout-ancien", "name": "Ancien", "amount": 5000, "year": 2025, "kind": "support",
         "service": "cantine"},
    ],
    "documents": [{"slug": "pra", "name": "PRA", "kind": "backup-restore"}],
    "restore_tests": [
        {"slug": "test-police", "name": "Test police", "application": "main-courante", "document": "pra",
         "tested_on": "2026-03-01", "restore_hours": 12},
        {"slug": "test-police-old", "name": "Ancien test police", "application": "main-courante",
         "tested_on": "2024-03-01", "restore_hours": 2},
        {"slug": "test-ec", "name": "Test état civil", "service": "etat-civil", "restore_hours": 6},
    ],
}


def load(document: dict):
    from mue.core.models import Workspace

    report = import_document(copy.deepcopy(document), source="test.yaml")
    return Workspace.objects.get(slug=report.workspace)


@pytest.fixture
def commune(db):
    return load(COMMUNE)
