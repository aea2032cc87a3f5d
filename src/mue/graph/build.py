"""The dependency graph of a workspace, built into integer-indexed arrays.

Nodes are register objects (units, processes, services, applications, assets, sites, external
parties) numbered 0..N-1, grouped by type and sorted by slug inside each type. Every edge is stored
once, oriented **dependent -> dependency** ("the service uses the application", "the application
runs on the asset"), with its kind; compressed sparse rows (CSR) in both directions make the
traversals of :mod:`mue.graph.traverse` vectorised.

Building costs a constant number of ``values_list`` queries per workspace, whatever its size: one
per node type and one per relation, never one per object. Data categories carried by flows are
loaded only when asked (:meth:`Graph.flow_data`), since only lineage and the diagrams need them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from django.db import models
from django.db.models import Q

from mue.core.registry import ENDPOINT_TYPES, registry


class _RegistryLabels(Mapping):
    """The label of each node type: the model's verbose name, from the registry (translated lazily)."""

    def __getitem__(self, type_name: str):
        return registry.by_singular(type_name).model._meta.verbose_name

    def __iter__(self):
        return iter(NODE_TYPES)

    def __len__(self) -> int:
        return len(NODE_TYPES)


# The register types that are nodes (registry singular names), in the order of the columns of the
# layered diagrams (left to right). Which types are nodes is the graph's choice (flows are edges, data
# categories attributes of edges); names, labels and models come from the registry.
NODE_TYPES: tuple[str, ...] = ("unit", "process", "service", "application", "asset", "site", "party")
TYPE_CODE: dict[str, int] = {name: code for code, name in enumerate(NODE_TYPES)}
TYPE_LABELS: Mapping[str, Any] = _RegistryLabels()


def node_model(type_name: str) -> type[models.Model]:
    """The model of a node type, through the registry."""
    return registry.by_singular(type_name).model


# Edge kinds. Every edge reads "source <kind> target", source being the dependent.
EDGE_KINDS: tuple[str, ...] = (
    "uses",  # process -> service, service -> application
    "depends-on",  # application -> application
    "runs-on",  # application -> asset
    "hosted-on",  # asset -> asset (a virtual machine on its host)
    "located-at",  # asset -> site
    "provided-by",  # SaaS application -> vendor, asset -> provider
    "served-by",  # unit -> service (the service serves the unit)
    "owns",  # unit -> process
    "data",  # flow target -> flow source: the target loses its input when the source fails
)
EDGE_CODE: dict[str, int] = {name: code for code, name in enumerate(EDGE_KINDS)}
DATA = EDGE_CODE["data"]
#: The edges that say what an object structurally rests on (everything but data flows).
STRUCTURAL = frozenset(range(len(EDGE_KINDS))) - {DATA}

#: Tags that declare an application or asset internally redundant (a cluster, an HA pair).
REDUNDANCY_TAGS = frozenset({"redundant", "cluster", "ha", "high-availability"})

_ENDPOINTS = ENDPOINT_TYPES


@dataclass
class CSR:
    """Adjacency of one direction: the edges of node ``i`` are ``indptr[i]:indptr[i+1]``."""

    indptr: np.ndarray  # int64, N+1
    indices: np.ndarray  # int32, neighbour of each edge
    kinds: np.ndarray  # int8, kind of each edge
    edge: np.ndarray  # int64, position of each edge in Graph.src/dst/kind

    @classmethod
    def from_edges(cls, n: int, frm: np.ndarray, to: np.ndarray, kinds: np.ndarray) -> CSR:
        order = np.argsort(frm, kind="stable")
        counts = np.bincount(frm, minlength=n)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        return cls(indptr, to[order].astype(np.int32), kinds[order], order.astype(np.int64))

    def row(self, node: int) -> slice:
        return slice(int(self.indptr[node]), int(self.indptr[node + 1]))


@dataclass
class Graph:
    """The dependency graph of one workspace (see the module docstring)."""

    workspace_id: int
    workspace_slug: str
    workspace_country: str
    types: np.ndarray  # int8 type code per node
    ids: np.ndarray  # int64 database id per node
    slugs: list[str]
    names: list[str]
    subkinds: list[str]  # application/asset/party kind, "" otherwise
    countries: list[str]  # where the object is (lineage); "" when unknown
    criticality: np.ndarray  # int8, services only (0 = not stated)
    needs: np.ndarray  # int8 (N, 4): availability, integrity, confidentiality, traceability of services
    rto: np.ndarray  # float64 hours, services only (nan = not stated)
    redundant: np.ndarray  # bool: tagged as internally redundant
    src: np.ndarray  # int32 dependent
    dst: np.ndarray  # int32 dependency
    kind: np.ndarray  # int8 edge kind
    flow_ids: np.ndarray  # int64 DataFlow id of data edges, -1 otherwise
    offsets: dict[str, tuple[int, int]]  # node type -> [start, end) of its block
    categories: list[tuple[int, str, str, str]] = field(default_factory=list)  # (id, slug, name, personal_data)
    holdings: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))  # (app node, category)
    _flow_data: np.ndarray | None = None

    # -- nodes ---------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.slugs)

    def type_of(self, node: int) -> str:
        return NODE_TYPES[int(self.types[node])]

    def key(self, node: int) -> str:
        """``type:slug``, the unambiguous name of a node."""
        return f"{self.type_of(node)}:{self.slugs[node]}"

    def nodes_of(self, type_name: str) -> range:
        start, end = self.offsets[type_name]
        return range(start, end)

    def find(self, type_name: str, slug: str) -> int | None:
        """The node of that type and slug (binary search in its slug-sorted block), or None."""
        start, end = self.offsets[type_name]
        lo, hi = start, end
        while lo < hi:
            mid = (lo + hi) // 2
            if self.slugs[mid] < slug:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < end and self.slugs[lo] == slug else None

    def index_of(self, type_name: str, ids: np.ndarray) -> np.ndarray:
        """Node indices of database ids of one type (vectorised; every id must exist)."""
        start, end = self.offsets[type_name]
        order = self._id_order[type_name]
        sorted_ids = self.ids[start:end][order]
        pos = np.searchsorted(sorted_ids, ids)
        return (order[pos] + start).astype(np.int32)

    @cached_property
    def _id_order(self) -> dict[str, np.ndarray]:
        return {t: np.argsort(self.ids[s:e], kind="stable") for t, (s, e) in self.offsets.items()}

    # -- adjacency -----------------------------------------------------------------------------

    @cached_property
    def forward(self) -> CSR:
        """Dependent -> dependency: what a node rests on."""
        return CSR.from_edges(len(self), self.src, self.dst, self.kind)

    @cached_property
    def backward(self) -> CSR:
        """Dependency -> dependent: what stops when a node fails."""
        return CSR.from_edges(len(self), self.dst, self.src, self.kind)

    def edge_between(self, dependent: int, dependency: int, kinds: frozenset[int] | None = None) -> int:
        """Position of one edge ``dependent -> dependency`` (of an allowed kind), for explanations."""
        csr = self.forward
        row = csr.row(dependent)
        for pos in range(row.start, row.stop):
            if csr.indices[pos] == dependency and (kinds is None or int(csr.kinds[pos]) in kinds):
                return int(csr.edge[pos])
        raise KeyError((dependent, dependency))

    # -- data categories -----------------------------------------------------------------------

    def category_index(self, slug: str) -> int | None:
        for i, (_id, cslug, _name, _pd) in enumerate(self.categories):
            if cslug == slug:
                return i
        return None

    def flow_data(self) -> np.ndarray:
        """(edge position, category index) of every category carried by a data edge; one query, cached."""
        if self._flow_data is None:
            DataFlow = registry.by_singular("flow").model
            rows = _pairs(DataFlow.data.through.objects.filter(dataflow__workspace_id=self.workspace_id)
                          .values_list("dataflow_id", "datacategory_id"))
            data_edges = np.nonzero(self.flow_ids >= 0)[0]
            by_flow = np.argsort(self.flow_ids[data_edges], kind="stable")
            sorted_flows = self.flow_ids[data_edges][by_flow]
            pos = np.searchsorted(sorted_flows, rows[:, 0])
            edges = data_edges[by_flow][pos]
            self._flow_data = np.column_stack([edges, self._category_positions(rows[:, 1])]).astype(np.int64)
        return self._flow_data

    def _category_positions(self, category_ids: np.ndarray) -> np.ndarray:
        ids = np.array([c[0] for c in self.categories], dtype=np.int64)
        order = np.argsort(ids)
        return order[np.searchsorted(ids[order], category_ids)]


def _pairs(queryset) -> np.ndarray:
    """Rows of two integer columns as an (n, 2) int64 array."""
    rows = list(queryset)
    return np.array(rows, dtype=np.int64).reshape(-1, 2)


def _tagged(queryset, tags: frozenset[str]) -> list[int]:
    """Ids of objects carrying one of ``tags``: a text pre-filter in SQL, then the exact check here.

    Decoding every object's tags would cost more than the rest of the build on large workspaces.
    """
    condition = Q()
    for tag in tags:
        condition |= Q(tags__icontains=tag)
    return [ident for ident, values in queryset.filter(condition).values_list("id", "tags")
            if tags.intersection(str(v).lower() for v in (values or []))]


def _index_in(block_ids: np.ndarray, start: int, wanted: list[int]) -> np.ndarray:
    """Node indices of ``wanted`` ids within one type's block (ids of that block, starting at ``start``)."""
    return np.nonzero(np.isin(block_ids, np.array(wanted, dtype=np.int64)))[0] + start


def _infer_countries(graph: Graph) -> None:
    """Fill unknown locations from what an object runs on: a guest from its host, an application
    from its assets when they all are in one country. Stated countries are never overridden."""
    countries = graph.countries
    for kind in (EDGE_CODE["hosted-on"], EDGE_CODE["runs-on"]):
        found: dict[int, set[str]] = {}
        for dependent, dependency in zip(graph.src[graph.kind == kind].tolist(),
                                         graph.dst[graph.kind == kind].tolist(), strict=True):
            if not countries[dependent]:
                found.setdefault(dependent, set()).add(countries[dependency])
        for node, options in found.items():
            if len(options) == 1 and "" not in options:
                countries[node] = options.pop()


def build_graph(workspace) -> Graph:
    """Read a workspace's objects and relations into a :class:`Graph` (a constant number of queries)."""
    Unit, Process, Service = node_model("unit"), node_model("process"), node_model("service")
    Application, Asset, Site = node_model("application"), node_model("asset"), node_model("site")
    ExternalParty = node_model("party")
    DataCategory, DataFlow = registry.by_singular("data_category").model, registry.by_singular("flow").model

    ws = workspace.id
    columns: dict[str, list[tuple]] = {
        "unit": list(Unit.objects.filter(workspace_id=ws).order_by("slug").values_list("id", "slug", "name")),
        "process": list(Process.objects.filter(workspace_id=ws).order_by("slug")
                         .values_list("id", "slug", "name", "unit_id")),
        "service": list(Service.objects.filter(workspace_id=ws).order_by("slug").values_list(
            "id", "slug", "name", "criticality", "need_availability", "need_integrity", "need_confidentiality",
            "need_traceability", "rto_hours")),
        "application": list(Application.objects.filter(workspace_id=ws).order_by("slug").values_list(
            "id", "slug", "name", "kind", "hosting_country", "vendor_id")),
        "asset": list(Asset.objects.filter(workspace_id=ws).order_by("slug").values_list(
            "id", "slug", "name", "kind", "country", "host_id", "site_id", "provider_id", "site__country")),
        "site": list(Site.objects.filter(workspace_id=ws).order_by("slug")
                     .values_list("id", "slug", "name", "country")),
        "party": list(ExternalParty.objects.filter(workspace_id=ws).order_by("slug")
                      .values_list("id", "slug", "name", "kind", "country")),
    }
    n = sum(len(rows) for rows in columns.values())
    offsets: dict[str, tuple[int, int]] = {}
    start = 0
    for type_name in NODE_TYPES:
        offsets[type_name] = (start, start + len(columns[type_name]))
        start += len(columns[type_name])

    types = np.repeat(np.arange(len(NODE_TYPES), dtype=np.int8), [len(columns[t]) for t in NODE_TYPES])
    ids = np.fromiter((row[0] for t in NODE_TYPES for row in columns[t]), dtype=np.int64, count=n)
    slugs = [row[1] for t in NODE_TYPES for row in columns[t]]
    names = [row[2] for t in NODE_TYPES for row in columns[t]]
    country_of = {
        "unit": lambda row: workspace.country or "",  # a unit is the organization itself
        "process": lambda row: "",
        "service": lambda row: "",
        "application": lambda row: row[4] or "",
        "asset": lambda row: row[4] or row[8] or "",  # its own country, else its site's
        "site": lambda row: row[3] or "",
        "party": lambda row: row[4] or "",
    }
    countries = [country_of[t](row) for t in NODE_TYPES for row in columns[t]]
    subkinds = [row[3] if t in ("application", "asset", "party") else "" for t in NODE_TYPES for row in columns[t]]

    criticality = np.zeros(n, dtype=np.int8)
    needs = np.zeros((n, 4), dtype=np.int8)
    rto = np.full(n, np.nan)
    s0, s1 = offsets["service"]
    if s1 > s0:
        svc = np.array([[v if v is not None else 0 for v in row[3:8]] for row in columns["service"]], dtype=np.int8)
        criticality[s0:s1] = svc[:, 0]
        needs[s0:s1] = svc[:, 1:5]
        rto[s0:s1] = [row[8] if row[8] is not None else np.nan for row in columns["service"]]
    redundant = np.zeros(n, dtype=bool)
    for type_name, model in (("application", Application), ("asset", Asset)):
        ids_tagged = _tagged(model.objects.filter(workspace_id=ws), REDUNDANCY_TAGS)
        if ids_tagged:
            redundant[_index_in(ids[slice(*offsets[type_name])], offsets[type_name][0], ids_tagged)] = True

    graph = Graph(workspace_id=ws, workspace_slug=workspace.slug, workspace_country=workspace.country or "",
                  types=types, ids=ids, slugs=slugs, names=names, subkinds=subkinds, countries=countries,
                  criticality=criticality, needs=needs, rto=rto, redundant=redundant,
                  src=np.zeros(0, np.int32), dst=np.zeros(0, np.int32), kind=np.zeros(0, np.int8),
                  flow_ids=np.zeros(0, np.int64), offsets=offsets)

    parts: list[tuple[np.ndarray, np.ndarray, int, np.ndarray | None]] = []

    def relate(pairs: np.ndarray, from_type: str, to_type: str, kind: str, flows: np.ndarray | None = None) -> None:
        if len(pairs):
            parts.append((graph.index_of(from_type, pairs[:, 0]), graph.index_of(to_type, pairs[:, 1]),
                          EDGE_CODE[kind], flows))

    def fk(type_name: str, column: int, to_type: str, kind: str, keep=lambda row: True) -> None:
        rows = [(row[0], row[column]) for row in columns[type_name] if row[column] is not None and keep(row)]
        relate(np.array(rows, dtype=np.int64).reshape(-1, 2), type_name, to_type, kind)

    relate(_pairs(Process.services.through.objects.filter(process__workspace_id=ws)
                  .values_list("process_id", "service_id")), "process", "service", "uses")
    relate(_pairs(Service.applications.through.objects.filter(service__workspace_id=ws)
                  .values_list("service_id", "application_id")), "service", "application", "uses")
    relate(_pairs(Application.depends_on.through.objects.filter(from_application__workspace_id=ws)
                  .values_list("from_application_id", "to_application_id")), "application", "application",
           "depends-on")
    relate(_pairs(Application.assets.through.objects.filter(application__workspace_id=ws)
                  .values_list("application_id", "asset_id")), "application", "asset", "runs-on")
    fk("asset", 5, "asset", "hosted-on")
    fk("asset", 6, "site", "located-at")
    fk("asset", 7, "party", "provided-by")
    # A SaaS stops when its vendor does; an installed application keeps running without its editor.
    fk("application", 5, "party", "provided-by", keep=lambda row: row[3] == "saas")
    relate(_pairs(Service.units.through.objects.filter(service__workspace_id=ws)
                  .values_list("unit_id", "service_id")), "unit", "service", "served-by")
    rows = [(row[3], row[0]) for row in columns["process"] if row[3] is not None]
    relate(np.array(rows, dtype=np.int64).reshape(-1, 2), "unit", "process", "owns")

    # Endpoint columns read raw (no SQL expression, so no per-value converter on 100,000 rows); a
    # float array turns the unset ones (NULL) into NaN, and each endpoint type is one vectorised pick.
    flow_columns = ["id"] + [f"{side}_{name}_id" for side in ("source", "target") for name in _ENDPOINTS]
    rows = list(DataFlow.objects.filter(workspace_id=ws).order_by().values_list(*flow_columns))
    if rows:
        flows = np.array(rows, dtype=np.float64)
        source = np.full(len(flows), -1, dtype=np.int32)
        target = np.full(len(flows), -1, dtype=np.int32)
        for side, out in ((0, source), (1, target)):
            for k, name in enumerate(_ENDPOINTS):
                column = flows[:, 1 + side * len(_ENDPOINTS) + k]
                at = ~np.isnan(column)
                out[at] = graph.index_of(name, column[at].astype(np.int64))
        # Oriented dependent -> dependency like every edge: the target depends on the source's data.
        parts.append((target, source, DATA, flows[:, 0].astype(np.int64)))

    if parts:
        graph.src = np.concatenate([p[0] for p in parts]).astype(np.int32)
        graph.dst = np.concatenate([p[1] for p in parts]).astype(np.int32)
        graph.kind = np.concatenate([np.full(len(p[0]), p[2], dtype=np.int8) for p in parts])
        graph.flow_ids = np.concatenate([p[3] if p[3] is not None else np.full(len(p[0]), -1, dtype=np.int64)
                                         for p in parts])

    _infer_countries(graph)
    graph.categories = list(DataCategory.objects.filter(workspace_id=ws).order_by("slug")
                            .values_list("id", "slug", "name", "personal_data"))
    held = _pairs(Application.data.through.objects.filter(application__workspace_id=ws)
                  .values_list("application_id", "datacategory_id"))
    if len(held):
        graph.holdings = np.column_stack([graph.index_of("application", held[:, 0]),
                                          graph._category_positions(held[:, 1])]).astype(np.int64)
    return graph
