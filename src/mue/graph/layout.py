"""A layered layout for diagrams: one column per type, dependents left of what they rest on.

Columns follow :data:`mue.graph.build.NODE_TYPES` (units, processes, services, applications, assets,
sites, parties). Applications depending on applications, and guests hosted on hosts, are spread over
sub-columns by the length of their chain (capped), so those edges run left to right as well. Inside a
column, nodes are ordered by the barycentre of their neighbours over a few sweeps, which removes most
crossings without a solver. The same algorithm runs in the browser (static/graph/graph.js).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from mue.graph.build import EDGE_CODE, NODE_TYPES, TYPE_CODE, Graph

MAX_SUBLAYERS = 3
_CHAINS = {TYPE_CODE["application"]: EDGE_CODE["depends-on"], TYPE_CODE["asset"]: EDGE_CODE["hosted-on"]}


@dataclass
class Layout:
    """Node positions (centre x, y) and the column of each node."""

    positions: dict[int, tuple[float, float]]
    columns: dict[int, int]
    column_types: dict[int, str]  # column -> node type shown there
    column_x: dict[int, float]  # column -> x of its first row of nodes
    width: float
    height: float


def _sublayers(graph: Graph, nodes: set[int], edges: list[tuple[int, int, int]]) -> dict[int, int]:
    """Sub-column of each node inside its type: 0 (left) when nothing of its type rests on it, then one
    more per link of the chain of its dependents (an application others depend on goes right), capped."""
    level = {n: 0 for n in nodes}
    chain = [(a, b) for a, b, kind in edges if _CHAINS.get(int(graph.types[a])) == kind and a != b]
    # Longest path by relaxation; the cap bounds the passes even when dependencies form a cycle.
    for _ in range(MAX_SUBLAYERS):
        changed = False
        for dependent, dependency in chain:
            wanted = min(level[dependent] + 1, MAX_SUBLAYERS - 1)
            if level[dependency] < wanted:
                level[dependency] = wanted
                changed = True
        if not changed:
            break
    return level


def layered(graph: Graph, nodes: list[int], edges: list[tuple[int, int, int]], *, column_gap: float = 250,
            row_gap: float = 52, margin: float = 40, top: float = 70, max_rows: int = 40,
            wrap_gap: float = 210) -> Layout:
    """Positions for ``nodes``; ``edges`` are (dependent, dependency, kind) between them.

    A column taller than ``max_rows`` wraps into several, ``wrap_gap`` apart, so a report page stays
    readable when an object reaches hundreds of others.
    """
    node_set = set(nodes)
    sub = _sublayers(graph, node_set, edges)
    keys = sorted({(int(graph.types[n]), sub[n]) for n in nodes})
    column_of_key = {key: i for i, key in enumerate(keys)}
    columns = {n: column_of_key[(int(graph.types[n]), sub[n])] for n in nodes}
    members: dict[int, list[int]] = defaultdict(list)
    for n in sorted(nodes, key=lambda n: (graph.names[n].lower(), n)):
        members[columns[n]].append(n)
    neighbours: dict[int, list[int]] = defaultdict(list)
    for a, b, _kind in edges:
        if a in node_set and b in node_set and a != b:
            neighbours[a].append(b)
            neighbours[b].append(a)
    # Barycentre sweeps left to right then right to left.
    rank = {n: i for col in members.values() for i, n in enumerate(col)}
    order = sorted(members)
    for sweep in range(4):
        for col in (order if sweep % 2 == 0 else order[::-1]):
            def weight(n: int, col: int = col) -> float:
                near = [rank[m] for m in neighbours[n] if columns[m] != col]
                return sum(near) / len(near) if near else rank[n]

            members[col].sort(key=lambda n: (weight(n), rank[n]))
            for i, n in enumerate(members[col]):
                rank[n] = i
    tallest = min(max((len(col) for col in members.values()), default=0), max_rows)
    positions: dict[int, tuple[float, float]] = {}
    column_x: dict[int, float] = {}
    x = margin + 100
    for col in order:
        col_nodes = members[col]
        column_x[col] = x
        offset = (tallest - min(len(col_nodes), max_rows)) * row_gap / 2  # centre short columns
        for i, n in enumerate(col_nodes):
            positions[n] = (x + (i // max_rows) * wrap_gap, top + offset + (i % max_rows) * row_gap + row_gap / 2)
        x += column_gap + (math.ceil(len(col_nodes) / max_rows) - 1) * wrap_gap
    return Layout(positions=positions, columns=columns,
                  column_types={column_of_key[key]: NODE_TYPES[key[0]] for key in keys}, column_x=column_x,
                  width=x - column_gap + 100 + margin, height=top + tallest * row_gap + margin)
