"""Skill assessments and requirements of a synthetic workspace (see :mod:`mue.synthetic.generator`).

Drawn with their own random sequence, so that adding them left every other type of a seed (and its
flows, which continue the core's sequence) exactly as before.
"""

from __future__ import annotations

import math
import random
from typing import Any

from mue.skills.digcomp import framework


def skills(size: str, seed: int, people: list[dict], services: list[dict], assessments: int,
           requirements: int) -> dict[str, list[dict[str, Any]]]:
    """About ``assessments`` assessments (a few competences per internal person, one per competence)
    and ``requirements`` requirements, mostly of critical services, each naming a distinct competence."""
    rng = random.Random(f"mue-synthetic-skills:{size}:{seed}")
    codes = [c.code for c in framework().competences]
    internal = [p["slug"] for p in people if not p.get("external")]
    items: list[dict[str, Any]] = []
    per_person = max(1, math.ceil(assessments / max(1, len(internal))))
    for person in internal:
        if len(items) >= assessments:
            break
        for code in sorted(rng.sample(codes, min(len(codes), per_person))):
            items.append({"person": person, "competence": code, "level": rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 7]),
                          "assessed_on": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                          "assessed_by": rng.choice(["self", "self", "manager"])})
    # Critical services first; the others when there are not enough of them.
    ordered = sorted(services, key=lambda s: s.get("criticality", 0) < 3)
    needs: list[dict[str, Any]] = []
    for service in (s["slug"] for s in ordered):
        if len(needs) >= requirements:
            break
        for code in sorted(rng.sample(codes, rng.randint(1, 2))):
            needs.append({"service": service, "competence": code, "level": rng.randint(3, 6)})
    return {"skill_assessments": items[:assessments], "skill_requirements": needs[:requirements]}
