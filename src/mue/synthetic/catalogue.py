"""The service catalogue of a synthetic workspace: support teams, service level agreements and their targets,
restore tests, service contracts (see :mod:`mue.synthetic.generator`).

Drawn with their own random sequence, so that adding them left every other type of a seed (and its flows,
which continue the core's sequence) exactly as before.
"""

from __future__ import annotations

import random
from typing import Any

from mue.catalogue.choices import Priority
from mue.vendors.choices import Hours


def catalogue(size: str, seed: int, doc: dict[str, Any], counts: dict[str, int]) -> dict[str, list[dict[str, Any]]]:
    """Agreements on the most critical services first, each with a target per priority; every reference set."""
    rng = random.Random(f"mue-synthetic-catalogue:{size}:{seed}")
    units = [u["slug"] for u in doc["units"]]
    people = [p["slug"] for p in doc["people"]]
    hours = list(Hours.values)
    teams = [{"slug": f"support-{i}", "name": f"Support {i}", "unit": rng.choice(units), "contact": rng.choice(people),
              "support_hours": rng.choice(hours), "headcount": rng.randint(1, 12)}
             for i in range(counts["support_teams"])]
    services = sorted(doc["services"], key=lambda s: -s.get("criticality", 0))
    levels = []
    for i, service in enumerate(services[:counts["service_levels"]]):
        levels.append({"slug": f"sla-{service['slug']}", "name": f"SLA {service['name']}", "service": service["slug"],
                       "availability_target": rng.choice([99, 99.5, 99.9]), "service_hours": rng.choice(hours),
                       "support_hours": rng.choice(hours), "support_team": teams[i % len(teams)]["slug"],
                       "rto_hours": rng.choice([4, 8, 24, 48]), "rpo_hours": rng.choice([1, 4, 24]),
                       "it_contact": rng.choice(people), "business_contact": rng.choice(people)})
    priorities = list(Priority.values)
    targets = [{"slug": f"{level['slug']}-{p.lower()}", "name": f"{level['name']} {p}", "agreement": level["slug"],
                "priority": p, "response_minutes": 30 * (n + 1), "resolution_hours": 4 * (n + 1)}
               for level in levels for n, p in enumerate(priorities)][:counts["service_level_targets"]]
    apps, assets, documents = doc["applications"], doc["assets"], doc["documents"]
    tests = [{"slug": f"restauration-{i}", "name": f"Test de restauration {i}", "service": rng.choice(services)["slug"],
              "application": rng.choice(apps)["slug"], "asset": rng.choice(assets)["slug"],
              "document": rng.choice(documents)["slug"], "tested_on": f"2025-{rng.randint(1, 12):02d}-15",
              "restore_hours": rng.choice([2, 6, 12, 36])} for i in range(counts["restore_tests"])]
    contracts = [{"slug": f"contrat-service-{unit}", "name": f"Contrat de service {unit}", "unit": unit,
                  "it_signatory": rng.choice(people), "business_signatory": rng.choice(people),
                  "review_date": "2026-06-30"} for unit in units[:counts["service_contracts"]]]
    return {"support_teams": teams, "service_levels": levels, "service_level_targets": targets,
            "restore_tests": tests, "service_contracts": contracts}
