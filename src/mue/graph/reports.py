"""What the graph's pages show, read from the engine's public functions as rows of names and links.

An object's page asks two questions of :func:`mue.graph.traverse.impact`, each twice: once along the
structural dependencies only (what *stops*), once with the data flows (what else *loses a data
feed*). The difference of the two answers is what a failure reaches only through a flow: it keeps
running, without that input. Both come from the engine; nothing here walks the graph itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from mue.core.registry import registry
from mue.graph.build import NODE_TYPES, TYPE_LABELS, Graph
from mue.graph.traverse import ImpactResult, impact
from mue.web.spec import object_url

#: Rows shown per group on the object's impact page (the SVG and the counts cover everything).
PAGE_LIMIT = 200


@dataclass
class Row:
    """One object reached: its names, its page, how far, and the chain of names that explains it."""

    type: str
    type_label: str
    slug: str
    name: str
    url: str
    hops: int
    criticality: int | None
    rto_hours: float | None
    path: list[tuple[str, str]]  # (name, url) from the start (excluded) to the object


@dataclass
class Group:
    """The objects of one answer (e.g. what stops), with counts per type and the worst service reached."""

    key: str
    label: str
    help: str
    rows: list[Row] = field(default_factory=list)
    total: int = 0
    counts: list[tuple[str, int]] = field(default_factory=list)  # (type label, count), in graph order
    worst: Row | None = None  # the most critical service reached
    shortest_rto: Row | None = None

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def _type_label(type_name: str, count: int) -> str:
    """A node type's name for a count of them: "1 application", "3 applications"."""
    otype = registry.by_singular(type_name)
    return str(otype.label if count == 1 else otype.label_plural)


def node_url(graph: Graph, workspace_slug: str, node: int) -> str:
    return object_url(workspace_slug, registry.by_singular(graph.type_of(node)), graph.slugs[node])


def _row(graph: Graph, workspace_slug: str, result: ImpactResult, node: int) -> Row:
    is_service = graph.type_of(node) == "service"
    rto = float(graph.rto[node]) if is_service and not math.isnan(graph.rto[node]) else None
    return Row(
        type=graph.type_of(node), type_label=str(TYPE_LABELS[graph.type_of(node)]), slug=graph.slugs[node],
        name=graph.names[node], url=node_url(graph, workspace_slug, node), hops=int(result.depth[node]),
        criticality=int(graph.criticality[node]) or None if is_service else None, rto_hours=rto,
        path=[(graph.names[s.node], node_url(graph, workspace_slug, s.node)) for s in result.path(node)[1:]],
    )


def _group(key: str, label, help_text, graph: Graph, workspace_slug: str, result: ImpactResult,
           nodes: list[int], limit: int) -> Group:
    group = Group(key, str(label), str(help_text), total=len(nodes))
    group.rows = [_row(graph, workspace_slug, result, n) for n in nodes[:limit]]
    by_type = {name: 0 for name in NODE_TYPES}
    for n in nodes:
        by_type[graph.type_of(n)] += 1
    group.counts = [(_type_label(t, c), c) for t, c in by_type.items() if c]
    services = [n for n in nodes if graph.type_of(n) == "service"]
    critical = [n for n in services if graph.criticality[n]]
    if critical:
        best = min(critical, key=lambda n: (-int(graph.criticality[n]), int(result.depth[n]), n))
        group.worst = _row(graph, workspace_slug, result, best)
    timed = [n for n in services if not math.isnan(graph.rto[n])]
    if timed:
        best = min(timed, key=lambda n: (float(graph.rto[n]), int(result.depth[n]), n))
        group.shortest_rto = _row(graph, workspace_slug, result, best)
    return group


def _split(structural: ImpactResult, with_data: ImpactResult) -> tuple[list[int], list[int]]:
    """Nodes reached structurally, and those reached only once data flows are followed."""
    hard = [int(n) for n in structural.reached]
    reached = set(hard)
    return hard, [int(n) for n in with_data.reached if int(n) not in reached]


@dataclass
class ObjectReport:
    """Both questions about one object: what its failure stops, and what it rests on."""

    node: int
    key: str
    name: str
    type_label: str
    url: str
    impact: list[Group]  # stops, loses a data feed
    dependencies: list[Group]  # rests on, receives data from


def object_report(graph: Graph, workspace_slug: str, node: int, limit: int = PAGE_LIMIT) -> ObjectReport:
    """The four groups of an object (see the module docstring), each limited to ``limit`` rows."""
    down_hard = impact(graph, node, include_data=False)
    down_all = impact(graph, node, include_data=True)
    up_hard = impact(graph, node, reverse=True, include_data=False)
    up_all = impact(graph, node, reverse=True, include_data=True)
    stops, fed = _split(down_hard, down_all)
    rests, feeds = _split(up_hard, up_all)
    return ObjectReport(
        node=node, key=graph.key(node), name=graph.names[node], type_label=str(TYPE_LABELS[graph.type_of(node)]),
        url=node_url(graph, workspace_slug, node),
        impact=[
            _group("stops", _("Stops"), _("What stops if it fails: everything resting on it, directly or not."),
                   graph, workspace_slug, down_hard, stops, limit),
            _group("loses-feed", _("Loses a data feed"),
                   _("Keeps running, but no longer receives the data a flow brings from it (or from what stops)."),
                   graph, workspace_slug, down_all, fed, limit),
        ],
        dependencies=[
            _group("rests-on", _("Rests on"), _("What it needs to run: applications, servers, sites, providers."),
                   graph, workspace_slug, up_hard, rests, limit),
            _group("fed-by", _("Receives data from"),
                   _("Where the data it receives comes from, through the flows."),
                   graph, workspace_slug, up_all, feeds, limit),
        ],
    )
