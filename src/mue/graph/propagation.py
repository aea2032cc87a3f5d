"""Criticality propagation: applications and assets inherit the highest needs of the services on them.

A service states its criticality and its DICT needs (availability, integrity, confidentiality,
traceability, each 1-4). Everything it rests on, directly or not, inherits the highest value of each
dimension among the services resting on it, through the structural edges: service -> application
("uses"), application -> application ("depends-on"), application -> asset ("runs-on") and asset ->
host asset ("hosted-on"). Data flows do not carry needs: a source feeding a critical service is
found by impact analysis, not made critical by this rule.

The computation is set-based: each node carries one integer per dimension that encodes both the
value and the service it comes from (``value * (S + 1) + (S - service rank)``), and a vectorised
maximum over the edges is repeated until nothing changes (at most the length of the longest chain,
cycles included). Ties go to the first service by slug, so the origin is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mue.graph.build import EDGE_CODE, TYPE_CODE, Graph, build_graph

DIMENSIONS: tuple[str, ...] = ("availability", "integrity", "confidentiality", "traceability", "criticality")
_PROPAGATING = [EDGE_CODE[k] for k in ("uses", "depends-on", "runs-on", "hosted-on")]


@dataclass(frozen=True)
class InheritedNeeds:
    """The highest need of each dimension among the services resting on an object, and where from.

    A value is None when no service resting on the object states it. ``sources`` maps each
    dimension with a value to the slug of the service it comes from.
    """

    availability: int | None
    integrity: int | None
    confidentiality: int | None
    traceability: int | None
    criticality: int | None
    sources: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {**{d: getattr(self, d) for d in DIMENSIONS}, "sources": dict(self.sources)}


def inherited_arrays(graph: Graph) -> tuple[np.ndarray, np.ndarray]:
    """``(values, origins)``, both (N, 5): inherited value (0 = none) and origin service node (-1 = none).

    Services hold their own values; every other node holds what it inherits.
    """
    n = len(graph)
    s0, s1 = graph.offsets["service"]
    count = s1 - s0
    own = np.column_stack([graph.needs, graph.criticality]).astype(np.int64)  # (N, 5)
    keys = np.zeros((n, len(DIMENSIONS)), dtype=np.int64)
    if count:
        rank = np.arange(count, dtype=np.int64)[:, None]
        service_own = own[s0:s1]
        keys[s0:s1] = np.where(service_own > 0, service_own * (count + 1) + (count - rank), 0)
    mask = np.isin(graph.kind, _PROPAGATING)
    src, dst = graph.src[mask], graph.dst[mask]
    if src.size:
        while True:
            updated = keys.copy()
            np.maximum.at(updated, dst, keys[src])
            if np.array_equal(updated, keys):
                break
            keys = updated
    values = keys // (count + 1)
    origins = np.where(keys > 0, s0 + count - keys % (count + 1), -1)
    return values, origins


def inherited_needs(workspace, graph: Graph | None = None) -> dict[tuple[str, int], InheritedNeeds]:
    """What every application and asset of ``workspace`` inherits, keyed by ``(type, id)``.

    ``type`` is "application" or "asset" and ``id`` the database id. Pass ``graph`` to reuse a graph
    already built for the same workspace.
    """
    graph = graph or build_graph(workspace)
    values, origins = inherited_arrays(graph)
    result: dict[tuple[str, int], InheritedNeeds] = {}
    for type_name in ("application", "asset"):
        for node in graph.nodes_of(type_name):
            row, origin = values[node], origins[node]
            sources = {d: graph.slugs[int(origin[i])] for i, d in enumerate(DIMENSIONS) if row[i] > 0}
            result[(type_name, int(graph.ids[node]))] = InheritedNeeds(
                *[int(v) if v > 0 else None for v in row], sources=sources)
    return result


def effective_criticality(graph: Graph) -> np.ndarray:
    """Per node: a service's own criticality, an application's or asset's inherited one (0 = none)."""
    values, _origins = inherited_arrays(graph)
    crit = values[:, DIMENSIONS.index("criticality")].astype(np.int8)
    keep = np.isin(graph.types, [TYPE_CODE["service"], TYPE_CODE["application"], TYPE_CODE["asset"]])
    return np.where(keep, crit, 0).astype(np.int8)
