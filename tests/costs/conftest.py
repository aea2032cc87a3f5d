"""A small commune whose costs are known by hand: three units, four services, shared lines."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from mue.interchange.importer import import_document

TOWN = {
    "workspace": {"slug": "bourg", "name": "Bourg", "kind": "commune", "country": "FR", "population": 2000,
                  "language": "en"},
    "units": [
        {"slug": "dgs", "name": "DGS"},
        {"slug": "enfance", "name": "Enfance", "parent": "dgs"},
        {"slug": "dsi", "name": "Informatique", "parent": "dgs", "is_it": True},
    ],
    "parties": [{"slug": "editeur", "name": "Éditeur"}, {"slug": "cloud", "name": "Cloud"}],
    "applications": [
        {"slug": "portail", "name": "Portail", "kind": "saas", "vendor": "editeur", "category": "video-conferencing"},
        {"slug": "visio-a", "name": "Visio A", "kind": "saas", "category": "video-conferencing", "status": "shadow"},
        {"slug": "suite", "name": "Suite bureautique", "kind": "saas", "vendor": "cloud", "seats": 50},
    ],
    "services": [
        {"slug": "cantine", "name": "Cantine", "units": ["enfance"], "users_count": 10, "applications": ["portail"]},
        {"slug": "messagerie", "name": "Messagerie", "units": ["dgs", "enfance"], "users_count": 30,
         "applications": ["suite"]},
        {"slug": "postes", "name": "Postes de travail", "units": ["dgs", "enfance", "dsi"], "users_count": 30,
         "applications": ["suite"]},
        {"slug": "sauvegarde", "name": "Sauvegarde", "units": ["dsi"]},
    ],
    "contracts": [{"slug": "contrat-editeur", "name": "Contrat éditeur", "vendor": "editeur"}],
    "costs": [
        # to its service
        {"slug": "portail-2026", "name": "Portail", "amount": 1200, "year": 2026, "kind": "subscription",
         "application": "portail", "service": "cantine", "contract": "contrat-editeur", "unit": "enfance"},
        {"slug": "portail-2025", "name": "Portail", "amount": 1000, "year": 2025, "kind": "subscription",
         "application": "portail", "service": "cantine", "unit": "enfance"},
        # no service: to the services of its application, by their users (30 and 30)
        {"slug": "suite-2026", "name": "Suite", "amount": 6000, "year": 2026, "kind": "licence",
         "application": "suite", "unit": "dsi"},
        # shared by percentages
        {"slug": "agents-2026", "name": "Agents", "amount": 10000, "year": 2026, "kind": "staff", "unit": "dsi",
         "sharing": "percentages"},
        # shared by users (10 / 30; sauvegarde has no user count: weight 0)
        {"slug": "infogerance-2026", "name": "Infogérance", "amount": 4000, "year": 2026, "kind": "support",
         "unit": "dsi", "sharing": "users"},
        # not attributed to any service
        {"slug": "dpo-2026", "name": "DPO", "amount": 800, "year": 2026, "kind": "support", "unit": "dgs"},
    ],
    "cost_shares": [
        {"slug": "agents-postes", "name": "Agents postes", "cost": "agents-2026", "service": "postes", "percent": 60},
        {"slug": "agents-sauvegarde", "name": "Agents sauvegarde", "cost": "agents-2026", "service": "sauvegarde",
         "percent": 40},
        {"slug": "infog-cantine", "name": "Infogérance cantine", "cost": "infogerance-2026", "service": "cantine"},
        {"slug": "infog-messagerie", "name": "Infogérance messagerie", "cost": "infogerance-2026",
         "service": "messagerie"},
        {"slug": "infog-sauvegarde", "name": "Infogérance sauvegarde", "cost": "infogerance-2026",
         "service": "sauvegarde"},
    ],
}


def town_document() -> dict:
    return copy.deepcopy(TOWN)


@pytest.fixture
def town(db):
    from mue.core.models import Workspace

    import_document(town_document(), source="bourg.yaml")
    return Workspace.objects.get(slug="bourg")


@pytest.fixture
def observed(town):
    """Discovery saw at most 20 active users of the office suite in 2026 (50 seats paid)."""
    from mue.applications.models import Application
    from mue.usage.models import UsageObservation

    suite = Application.objects.get(workspace=town, slug="suite")
    for month, users in ((1, 18), (2, 20), (3, 19)):
        UsageObservation.objects.create(workspace=town, application=suite, month=dt.date(2026, month, 1),
                                        active_users=users, source="squid")
    UsageObservation.objects.create(workspace=town, application=suite, month=dt.date(2025, 12, 1),
                                    active_users=45, source="squid")  # another year: not counted
    return town
