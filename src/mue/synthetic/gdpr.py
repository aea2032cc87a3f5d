"""The record of processing of a synthetic workspace: activities, transfers outside the EU, retention rules
(see :mod:`mue.synthetic.generator`).

Drawn with their own random sequence, so that adding them left every other type of a seed (and its flows,
which continue the core's sequence) exactly as before.
"""

from __future__ import annotations

import random
from typing import Any

from mue.gdpr.choices import LegalBasis, Safeguard

_COUNTRIES = ("US", "US", "GB", "CH", "IN", "CA")


def record(size: str, seed: int, doc: dict[str, Any], counts: dict[str, int]) -> dict[str, list[dict[str, Any]]]:
    """``counts["processing_activities"]`` activities resting on the map's units, people, data, services and
    applications; transfers and retention rules of those activities."""
    rng = random.Random(f"mue-synthetic-gdpr:{size}:{seed}")
    units = [u["slug"] for u in doc["units"]]
    people = [p["slug"] for p in doc["people"] if not p.get("external")] or [p["slug"] for p in doc["people"]]
    personal = [d["slug"] for d in doc["data_categories"] if d.get("personal_data") not in (None, "none")]
    data = personal or [d["slug"] for d in doc["data_categories"]]
    services = [s["slug"] for s in doc["services"]]
    apps = [a["slug"] for a in doc["applications"]]
    parties = [p["slug"] for p in doc["parties"]]
    documents = [d["slug"] for d in doc["documents"]]
    activities = []
    for i in range(counts["processing_activities"]):
        activities.append({
            "slug": f"traitement-{i}", "name": f"Traitement {i}", "status": rng.choice(["draft", "active", "active"]),
            "purposes": f"Finalité du traitement {i}", "legal_basis": rng.choice(LegalBasis.values),
            "unit": rng.choice(units), "responsible": rng.choice(people), "dpo": people[0],
            "data": sorted(rng.sample(data, min(len(data), rng.randint(1, 3)))),
            "services": sorted(rng.sample(services, min(len(services), rng.randint(1, 2)))),
            "applications": sorted(rng.sample(apps, min(len(apps), rng.randint(1, 3)))),
        })
    slugs = [a["slug"] for a in activities]
    transfers = [{"slug": f"transfert-{i}", "name": f"Transfert {i}", "activity": rng.choice(slugs),
                  "country": rng.choice(_COUNTRIES), "recipient": rng.choice(parties), "application": rng.choice(apps),
                  "safeguard": rng.choice(Safeguard.values)} for i in range(counts["transfers"])]
    rules = [{"slug": f"conservation-{i}", "name": f"Conservation {i}", "activity": rng.choice(slugs),
              "data": rng.choice(data), "retention_months": rng.choice([6, 12, 36, 60, 120]),
              "purge_document": rng.choice(documents)} for i in range(counts["retention_rules"])]
    return {"processing_activities": activities, "transfers": transfers, "retention_rules": rules}
