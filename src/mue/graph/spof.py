"""Single points of failure: applications and assets whose loss alone stops a critical service.

The failure model uses only what the register states (see docs/graph.md):

* a service is down when **any** of its applications is down (the register lists the applications a
  service needs; it has no notion of one replacing another);
* an application is down when any application it depends on is down, or when **all** the assets it
  runs on are down: an application running on two or more assets survives the loss of one;
* an asset is down when the host it runs on is down;
* an application or asset tagged ``redundant``, ``cluster``, ``ha`` or ``high-availability`` is
  internally redundant: its own loss is not a single failure (what it rests on still counts).

For each object ``n`` the set ``F(n)`` of single failures that bring it down is
``{n} ∪ ⋃ F(required) ∪ ⋂ F(alternatives)``, computed as a least fixed point (cycles of dependencies
do not justify themselves). A SPOF is a member of ``F(S)`` for a service ``S`` of criticality ≥ 3.
Data flows, vendors and sites are out of this analysis (impact analysis covers them).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from mue.graph.build import EDGE_CODE, EDGE_KINDS, TYPE_CODE, Graph
from mue.graph.traverse import bfs, kinds_mask

_USES, _DEPENDS, _RUNS, _HOSTED = (EDGE_CODE[k] for k in ("uses", "depends-on", "runs-on", "hosted-on"))
_KINDS = frozenset({_USES, _DEPENDS, _RUNS, _HOSTED})
_CANDIDATES = (TYPE_CODE["application"], TYPE_CODE["asset"])


@dataclass
class SinglePoint:
    """An object whose loss alone stops services, each with the chain from the service to it."""

    node: int
    services: list[int]  # service nodes stopped, most critical first
    paths: dict[int, list[tuple[int, str | None]]]  # service -> [(node, edge kind)] from the service to it

    def worst(self, graph: Graph) -> int:
        return max(int(graph.criticality[s]) for s in self.services)


def failure_sets(graph: Graph, roots: list[int]) -> dict[int, frozenset[int]]:
    """``F(n)`` for every node reached from ``roots`` through the structural dependencies."""
    fwd = graph.forward
    allowed = kinds_mask(_KINDS)
    depth, _pred, _via = bfs(fwd.indptr, fwd.indices, fwd.kinds, fwd.edge, np.array(roots, dtype=np.int64), allowed)
    nodes = np.nonzero(depth >= 0)[0]
    # Deepest first, so most dependencies are computed before their dependents and passes are few.
    order = [int(i) for i in nodes[np.argsort(-depth[nodes], kind="stable")]]
    required: dict[int, list[int]] = defaultdict(list)
    hosting: dict[int, list[int]] = defaultdict(list)
    for node in order:
        row = fwd.row(node)
        for pos in range(row.start, row.stop):
            kind = int(fwd.kinds[pos])
            if kind not in _KINDS:
                continue
            target = int(fwd.indices[pos])
            (hosting if kind == _RUNS else required)[node].append(target)
    own = {node: frozenset({node}) if graph.types[node] in _CANDIDATES and not graph.redundant[node] else frozenset()
           for node in order}
    sets = dict(own)
    changed = True
    while changed:
        changed = False
        for node in order:
            value = own[node].union(*(sets[d] for d in required.get(node, ())))
            alternatives = hosting.get(node)
            if alternatives:
                value |= frozenset.intersection(*(sets[a] for a in alternatives))
            if value != sets[node]:
                sets[node] = value
                changed = True
    return sets


def single_points_of_failure(graph: Graph, min_criticality: int = 3) -> list[SinglePoint]:
    """Applications and assets whose loss alone stops a service of criticality ≥ ``min_criticality``.

    Sorted by the worst criticality they stop, then the number of services, then type and slug.
    """
    services = [n for n in graph.nodes_of("service") if graph.criticality[n] >= min_criticality]
    if not services:
        return []
    sets = failure_sets(graph, services)
    stopped: dict[int, list[int]] = defaultdict(list)
    for service in services:
        for node in sets[service]:
            stopped[node].append(service)
    fwd = graph.forward
    allowed = kinds_mask(_KINDS)
    paths: dict[int, dict[int, list[tuple[int, str | None]]]] = defaultdict(dict)
    for service in services:
        if not sets[service]:
            continue
        _depth, pred, via = bfs(fwd.indptr, fwd.indices, fwd.kinds, fwd.edge, np.array([service]), allowed)
        for node in sets[service]:
            chain: list[tuple[int, str | None]] = []
            current = node
            while current != service:
                chain.append((current, EDGE_KINDS[int(graph.kind[via[current]])]))
                current = int(pred[current])
            chain.append((service, None))
            paths[node][service] = chain[::-1]
    points = [SinglePoint(node, sorted(svcs, key=lambda s: (-int(graph.criticality[s]), s)), paths[node])
              for node, svcs in stopped.items()]
    points.sort(key=lambda p: (-p.worst(graph), -len(p.services), int(graph.types[p.node]), p.node))
    return points


def spof_as_dict(graph: Graph, points: list[SinglePoint]) -> dict:
    """JSON-ready list of single points of failure."""
    return {
        "workspace": graph.workspace_slug,
        "single_points_of_failure": [
            {
                "type": graph.type_of(p.node), "slug": graph.slugs[p.node], "name": graph.names[p.node],
                "worst_criticality": p.worst(graph),
                "services": [
                    {"slug": graph.slugs[s], "name": graph.names[s], "criticality": int(graph.criticality[s]),
                     "path": [{"object": graph.key(n), "via": kind} for n, kind in p.paths[s]]}
                    for s in p.services
                ],
            }
            for p in points
        ],
    }
