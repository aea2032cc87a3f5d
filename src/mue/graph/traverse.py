"""Impact analysis: what stops when an object fails, and everything an object depends on.

Both questions are one breadth-first search on the graph of :mod:`mue.graph.build`, vectorised
level by level over the CSR arrays (one numpy pass per level, not one Python step per node), keeping
for every reached node its predecessor and the edge that reached it, so each answer comes with the
shortest path that explains it.

Failure travels from a dependency to its dependents (the ``backward`` adjacency): an asset to the
applications running on it, an application to the applications depending on it and the services
using it, a service to the processes using it and the units it serves. Units and external parties
are *affected* when reached but do not fail in turn (an organization whose tool stops still works),
so the search does not go on from them unless they are where it starts.

Data flows are a separate edge kind, "data", and a separate effect: the target of a flow whose source
stops *loses a data feed*, it does not stop. So the search is in two steps: what stops (the
structural closure above), then, with ``include_data`` (the default), what receives a flow from
something that stops, one flow away: such an object keeps running without that input and is not
searched on from (what it feeds in turn is not claimed). Each reached object is labelled by its
effect (:attr:`ImpactResult.data_fed`). With ``reverse``, the same two steps give what an object rests
on and the sources of the data those objects receive. The most critical service and the shortest RTO
are those of services that stop. Single points of failure and the propagation of needs use the
structural edges only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from mue.graph.build import DATA, EDGE_KINDS, NODE_TYPES, STRUCTURAL, TYPE_CODE, Graph

# Reached units and parties are affected but do not propagate the failure.
_NON_PROPAGATING = np.array([name in ("unit", "party") for name in NODE_TYPES])


def kinds_mask(kinds: frozenset[int] | set[int]) -> np.ndarray:
    """A boolean mask over edge kinds, for :func:`bfs`."""
    mask = np.zeros(len(EDGE_KINDS), dtype=bool)
    mask[list(kinds)] = True
    return mask


def bfs(indptr: np.ndarray, indices: np.ndarray, edge_kinds: np.ndarray, edge_ids: np.ndarray,
        starts: np.ndarray, allowed: np.ndarray, expand: np.ndarray | None = None
        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Level-synchronous breadth-first search over CSR arrays.

    Returns ``(depth, pred, via)`` per node: hops from the nearest start (-1 when not reached), the
    node it was reached from (-1 for starts and unreached) and the id of the edge used (-1 likewise).
    ``allowed`` masks edge kinds; ``expand`` (per node) says which reached nodes are searched on from;
    the starts always are. Ties are broken by node index, so results are deterministic.
    """
    n = len(indptr) - 1
    depth = np.full(n, -1, dtype=np.int32)
    pred = np.full(n, -1, dtype=np.int32)
    via = np.full(n, -1, dtype=np.int64)
    frontier = np.unique(np.asarray(starts, dtype=np.int64))
    depth[frontier] = 0
    level = 0
    while frontier.size:
        level += 1
        lo = indptr[frontier]
        counts = indptr[frontier + 1] - lo
        total = int(counts.sum())
        if total == 0:
            break
        # Every edge position of the frontier's rows, without a Python loop.
        pos = np.arange(total, dtype=np.int64) + np.repeat(lo - (np.cumsum(counts) - counts), counts)
        neighbours = indices[pos]
        keep = allowed[edge_kinds[pos]] & (depth[neighbours] < 0)
        if not keep.any():
            break
        pos, neighbours = pos[keep], neighbours[keep]
        parents = np.repeat(frontier, counts)[keep]
        new, first = np.unique(neighbours, return_index=True)
        depth[new] = level
        pred[new] = parents[first]
        via[new] = edge_ids[pos[first]]
        frontier = new if expand is None else new[expand[new]]
    return depth, pred, via


@dataclass(frozen=True)
class Step:
    """One hop of an explaining path: ``node`` reached through an edge of ``kind``."""

    node: int
    kind: str | None  # None for the start


#: The two effects of an impact, as named in JSON (``effect`` of each reached object).
STOPS, LOSES_DATA_FEED = "stops", "loses-data-feed"
#: Their names in the reverse question (what an object rests on, where its data comes from).
RESTS_ON, DATA_SOURCE = "rests-on", "data-source"


@dataclass
class ImpactResult:
    """The objects reached from ``start``, how far, why, and with what effect.

    ``data_fed`` marks (per node) the objects reached only through a data flow from something that
    stops: they lose a data feed. Every other reached object stops (``reverse``: is rested on).
    """

    graph: Graph
    start: int
    reverse: bool
    include_data: bool
    depth: np.ndarray
    pred: np.ndarray
    via: np.ndarray
    data_fed: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.data_fed is None:
            self.data_fed = np.zeros(len(self.depth), dtype=bool)

    @cached_property
    def reached(self) -> np.ndarray:
        """Every reached node other than the start (both effects), nearest first, then by type and slug."""
        nodes = np.nonzero(self.depth > 0)[0]
        return nodes[np.lexsort((nodes, self.depth[nodes]))]

    @cached_property
    def stopped(self) -> np.ndarray:
        """Reached nodes that stop with the start (``reverse``: that the start rests on), in ``reached`` order."""
        return self.reached[~self.data_fed[self.reached]]

    @cached_property
    def losing_data(self) -> np.ndarray:
        """Reached nodes that only lose a data feed (``reverse``: the sources of the data), in ``reached`` order."""
        return self.reached[self.data_fed[self.reached]]

    def effect(self, node: int) -> str:
        """What happens to a reached node: ``stops``/``loses-data-feed`` (``rests-on``/``data-source``)."""
        if self.data_fed[node]:
            return DATA_SOURCE if self.reverse else LOSES_DATA_FEED
        return RESTS_ON if self.reverse else STOPS

    def of_type(self, type_name: str) -> list[int]:
        code = TYPE_CODE[type_name]
        return [int(i) for i in self.reached if self.graph.types[i] == code]

    def path(self, node: int) -> list[Step]:
        """The shortest chain from the start to ``node``, with the kind of edge of each hop."""
        if self.depth[node] < 0:
            raise ValueError(f"{self.graph.key(node)} is not reached")
        steps: list[Step] = []
        while node != self.start and self.pred[node] >= 0:
            steps.append(Step(int(node), EDGE_KINDS[int(self.graph.kind[self.via[node]])]))
            node = int(self.pred[node])
        steps.append(Step(int(self.start), None))
        return steps[::-1]

    def _services(self) -> np.ndarray:
        """Services that stop, the start included when it is one (losing a data feed is not stopping)."""
        nodes = np.nonzero((self.depth >= 0) & ~self.data_fed)[0]
        return nodes[self.graph.types[nodes] == TYPE_CODE["service"]]

    @cached_property
    def worst_criticality(self) -> tuple[int, int] | None:
        """(criticality, service node) of the most critical service reached, or None."""
        services = self._services()
        crit = self.graph.criticality[services]
        if not services.size or crit.max() == 0:
            return None
        # Most critical, then nearest, then first by slug.
        best = services[np.lexsort((services, self.depth[services], -crit.astype(np.int16)))[0]]
        return int(self.graph.criticality[best]), int(best)

    @cached_property
    def shortest_rto(self) -> tuple[float, int] | None:
        """(RTO hours, service node) of the reached service that tolerates the shortest outage, or None."""
        services = self._services()
        rto = self.graph.rto[services]
        known = ~np.isnan(rto)
        if not known.any():
            return None
        services, rto = services[known], rto[known]
        best = services[np.lexsort((services, self.depth[services], rto))[0]]
        return float(self.graph.rto[best]), int(best)

    def counts(self, nodes: np.ndarray | None = None) -> dict[str, int]:
        """Objects per type among ``nodes`` (default: everything reached)."""
        types = self.graph.types[self.reached if nodes is None else nodes]
        return {name: int((types == code).sum()) for code, name in enumerate(NODE_TYPES)}

    def describe(self, node: int, path: bool = True) -> dict:
        """One reached object, JSON-ready: type, slug, name, hops, effect (and its explaining path)."""
        g = self.graph
        item = {"type": g.type_of(node), "slug": g.slugs[node], "name": g.names[node],
                "hops": int(self.depth[node]), "effect": self.effect(node)}
        if g.types[node] == TYPE_CODE["service"]:
            item["criticality"] = int(g.criticality[node]) or None
            item["rto_hours"] = None if math.isnan(g.rto[node]) else g.rto[node]
        if path:
            item["path"] = [{"object": g.key(s.node), "via": s.kind} for s in self.path(node)[1:]]
        return item

    def as_dict(self, paths: bool = True) -> dict:
        """JSON-ready description of the result (with every reached object's path when ``paths``).

        ``reached`` lists both effects, each object with its ``effect``; ``counts`` are of everything
        reached, ``counts_by_effect`` of each effect apart.
        """
        g = self.graph

        def summary(found: tuple[float, int] | None, field: str) -> dict | None:
            if found is None:
                return None
            value, node = found
            return {field: value, "service": g.slugs[node],
                    "path": [{"object": g.key(s.node), "via": s.kind} for s in self.path(node)[1:]]}

        first, second = (RESTS_ON, DATA_SOURCE) if self.reverse else (STOPS, LOSES_DATA_FEED)
        return {
            "workspace": g.workspace_slug,
            "object": {"type": g.type_of(self.start), "slug": g.slugs[self.start], "name": g.names[self.start]},
            "direction": "dependencies" if self.reverse else "impact",
            "data_dependencies": self.include_data,
            "counts": self.counts(),
            "counts_by_effect": {first: self.counts(self.stopped), second: self.counts(self.losing_data)},
            "worst_criticality": summary(self.worst_criticality, "criticality"),
            "shortest_rto": summary(self.shortest_rto, "rto_hours"),
            "reached": [self.describe(int(i), paths) for i in self.reached],
        }


def _data_fed(csr, depth: np.ndarray, pred: np.ndarray, via: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """Mark, one flow away from ``sources``, the nodes not yet reached, through the nearest source.

    Fills ``depth``, ``pred`` and ``via`` of those nodes in place and returns the per-node mask.
    """
    fed = np.zeros(len(depth), dtype=bool)
    lo = csr.indptr[sources]
    counts = csr.indptr[sources + 1] - lo
    total = int(counts.sum())
    if not total:
        return fed
    pos = np.arange(total, dtype=np.int64) + np.repeat(lo - (np.cumsum(counts) - counts), counts)
    targets = csr.indices[pos]
    keep = (csr.kinds[pos] == DATA) & (depth[targets] < 0)
    pos, targets, parents = pos[keep], targets[keep], np.repeat(sources, counts)[keep]
    if not targets.size:
        return fed
    # Per target, the nearest source (then the first by index): the shortest explanation.
    order = np.lexsort((parents, depth[parents], targets))
    targets, parents, pos = targets[order], parents[order], pos[order]
    new, first = np.unique(targets, return_index=True)
    depth[new] = depth[parents[first]] + 1
    pred[new] = parents[first]
    via[new] = csr.edge[pos[first]]
    fed[new] = True
    return fed


def impact(graph: Graph, node: int, *, reverse: bool = False, include_data: bool = True) -> ImpactResult:
    """What stops if ``node`` fails; with ``reverse``, everything ``node`` depends on.

    With ``include_data``, also what loses a data feed (reverse: where the data comes from), labelled
    apart in the result (:attr:`ImpactResult.data_fed`); see the module docstring.
    """
    csr = graph.forward if reverse else graph.backward
    expand = ~_NON_PROPAGATING[graph.types]
    depth, pred, via = bfs(csr.indptr, csr.indices, csr.kinds, csr.edge, np.array([node]),
                           kinds_mask(STRUCTURAL), expand)
    fed = None
    if include_data:
        # Sources of lost feeds: what stops and propagates (an affected unit's own flows go on), and the start.
        sources = np.nonzero((depth >= 0) & expand)[0]
        sources = np.union1d(sources, [node]).astype(np.int64)
        fed = _data_fed(csr, depth, pred, via, sources)
    return ImpactResult(graph, int(node), reverse, include_data, depth, pred, via, fed)
