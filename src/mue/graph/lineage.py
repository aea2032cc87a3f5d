"""Personal-data lineage: where a data category goes through the flows, and where it leaves the EU.

For a category, the *origins* are the applications declared as holding it and the endpoints that
send it without receiving it from any flow (a unit entering it, a party providing it). From them the
flows carrying the category are followed, source to target, and each application, unit, external
party and asset reached is reported with the fewest hops from an origin and the flow that brought
it. Flows that go round in a cycle no origin feeds are still reported: the first source of such a
cycle (by type and slug) is taken as an origin too.

Where each object is comes from the register: an application's hosting country, an asset's country
(else its site's), a party's country; units are the organization itself (the workspace's country).
The zone is :func:`mue.core.countries.transfer_zone`; an *exit* is a flow carrying the category to
an object outside the EEA and the adequacy countries ("conditional" or "third-country"), or an
origin located there.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from django.utils.translation import gettext as _

from mue.core.countries import transfer_zone
from mue.graph.build import CSR, DATA, Graph
from mue.graph.traverse import bfs, kinds_mask

OUTSIDE = frozenset({"conditional", "third-country"})


class UnknownCategory(LookupError):
    """No data category of that slug in the workspace."""


@dataclass
class LineageResult:
    """The objects a data category reaches, with hops, countries and the flows that explain them."""

    graph: Graph
    category: int  # index in graph.categories
    origins: list[int]
    holders: set[int]
    depth: np.ndarray
    pred: np.ndarray
    via: np.ndarray  # edge position of the flow that reached each node
    flow_slugs: dict[int, str]  # DataFlow id -> slug

    @cached_property
    def reached(self) -> np.ndarray:
        nodes = np.nonzero(self.depth >= 0)[0]
        return nodes[np.lexsort((nodes, self.depth[nodes]))]

    def zone(self, node: int) -> str:
        return transfer_zone(self.graph.countries[node])

    def flow_of(self, node: int) -> str | None:
        edge = int(self.via[node])
        return self.flow_slugs.get(int(self.graph.flow_ids[edge])) if edge >= 0 else None

    def path(self, node: int) -> list[tuple[int, str | None]]:
        """[(node, slug of the flow that reached it)] from an origin to ``node``."""
        chain: list[tuple[int, str | None]] = []
        while node >= 0:
            chain.append((int(node), self.flow_of(node)))
            node = int(self.pred[node])
        return chain[::-1]

    @cached_property
    def exits(self) -> list[dict]:
        """Where the category leaves the EEA and adequacy zone: flows into such places, or origins there."""
        g = self.graph
        found: list[dict] = []
        for node in self.reached:
            node = int(node)
            zone = self.zone(node)
            if zone not in OUTSIDE:
                continue
            source = int(self.pred[node])
            found.append({
                "object": g.key(node), "name": g.names[node], "country": g.countries[node], "zone": zone,
                "hops": int(self.depth[node]),
                "from": g.key(source) if source >= 0 else None,
                "flow": self.flow_of(node),
                "reason": (_("held there") if node in self.holders else _("sent from there")) if source < 0
                else _("receives it through a flow"),
            })
        return found

    def as_dict(self) -> dict:
        g = self.graph
        _id, slug, name, personal = g.categories[self.category]
        return {
            "workspace": g.workspace_slug,
            "category": {"slug": slug, "name": name, "personal_data": personal},
            "reached": [
                {"type": g.type_of(int(n)), "slug": g.slugs[n], "name": g.names[n], "hops": int(self.depth[n]),
                 "holds": int(n) in self.holders, "origin": int(n) in self.origin_set,
                 "country": g.countries[n] or None, "zone": self.zone(int(n)),
                 "path": [{"object": g.key(p), "flow": flow} for p, flow in self.path(int(n))]}
                for n in self.reached
            ],
            "exits": self.exits,
        }

    @cached_property
    def origin_set(self) -> set[int]:
        return set(self.origins)


def lineage(graph: Graph, category_slug: str) -> LineageResult:
    """Follow the flows carrying ``category_slug`` from its origins (see the module docstring)."""
    from mue.dataflows.models import DataFlow

    category = graph.category_index(category_slug)
    if category is None:
        raise UnknownCategory(_("no data category '%(slug)s' in workspace '%(workspace)s'")
                              % {"slug": category_slug, "workspace": graph.workspace_slug})
    carried = graph.flow_data()
    edges = carried[carried[:, 1] == category, 0]
    # Flow direction: a data edge is stored target -> source, so source is dst and target is src.
    sources, targets = graph.dst[edges], graph.src[edges]
    csr = CSR.from_edges(len(graph), sources.astype(np.int64), targets, np.full(len(edges), DATA, dtype=np.int8))
    csr.edge = edges[csr.edge]  # positions in the graph's edge arrays, to name the flow
    holders = {int(n) for n in graph.holdings[graph.holdings[:, 1] == category, 0]}
    fed = set(targets.tolist())
    origins = sorted(holders | {int(s) for s in sources if int(s) not in fed})
    allowed = kinds_mask({DATA})
    depth, pred, via = bfs(csr.indptr, csr.indices, csr.kinds, csr.edge, np.array(origins, dtype=np.int64), allowed)
    # Cycles that no origin feeds: start from their first unreached source until every flow is covered.
    while True:
        unreached = sorted({int(s) for s in sources if depth[s] < 0})
        if not unreached:
            break
        origins.append(unreached[0])
        depth, pred, via = bfs(csr.indptr, csr.indices, csr.kinds, csr.edge, np.array(origins, dtype=np.int64),
                               allowed)
    category_id = graph.categories[category][0]
    flow_slugs = dict(DataFlow.objects.filter(workspace_id=graph.workspace_id, data__id=category_id)
                      .values_list("id", "slug"))
    return LineageResult(graph, category, origins, holders, depth, pred, via, flow_slugs)
