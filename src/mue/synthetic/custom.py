"""Custom fields of a synthetic workspace and their values (see :mod:`mue.synthetic.generator`).

Drawn with their own random sequence, so that adding them left every other type of a seed (and its flows,
which continue the core's sequence) exactly as before. The values are set on about half of the objects of
each field's type; a field is never expected (the audit's figures of a seed do not change).
"""

from __future__ import annotations

import random
from typing import Any

# (type, kind): one of each kind, on the types lists are most often read from.
_SHAPES = [("applications", "text"), ("applications", "choice"), ("contracts", "number"), ("assets", "date"),
           ("services", "boolean"), ("units", "link")]
_CHOICES = ["interne", "mutualisé", "éditeur", "cloud"]


def custom_fields(size: str, seed: int, doc: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """``count`` definitions; sets their values (``custom``) on the items of ``doc`` in place."""
    rng = random.Random(f"mue-synthetic-custom:{size}:{seed}")
    people = [p["slug"] for p in doc["people"]]
    definitions = []
    for i in range(count):
        object_type, kind = _SHAPES[i % len(_SHAPES)]
        slug = f"champ-{i + 1}"
        definition: dict[str, Any] = {"slug": slug, "name": f"Champ {i + 1} ({kind})", "object_type": object_type,
                                      "kind": kind, "position": i}
        if kind == "choice":
            definition["choices"] = _CHOICES
        if kind == "link":
            definition["target_type"] = "people"
        definitions.append(definition)
        for item in doc[object_type]:
            if rng.random() < 0.5:
                item.setdefault("custom", {})[slug] = _value(rng, kind, people)
    return definitions


def _value(rng: random.Random, kind: str, people: list[str]) -> Any:
    if kind == "text":
        return f"CC-{rng.randint(100, 999)}"
    if kind == "choice":
        return rng.choice(_CHOICES)
    if kind == "number":
        return rng.randint(1, 500) * 10
    if kind == "date":
        return f"20{rng.randint(18, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if kind == "boolean":
        return rng.random() < 0.5
    return rng.choice(people)
