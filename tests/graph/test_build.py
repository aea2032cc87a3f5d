"""Building the graph: nodes, edges of every kind, and a number of queries that does not grow."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mue.graph.build import DATA, EDGE_CODE, NODE_TYPES, build_graph
from tests.graph.conftest import load, scaled


def _edges(graph, kind: str) -> set[tuple[str, str]]:
    code = EDGE_CODE[kind]
    return {(graph.key(a), graph.key(b)) for a, b, k in zip(graph.src, graph.dst, graph.kind, strict=True) if k == code}


def test_nodes_grouped_by_type_and_sorted(town_graph):
    g = town_graph
    assert [g.type_of(i) for i in range(len(g))] == sorted((g.type_of(i) for i in range(len(g))),
                                                           key=NODE_TYPES.index)
    for type_name in NODE_TYPES:
        slugs = [g.slugs[i] for i in g.nodes_of(type_name)]
        assert slugs == sorted(slugs)
    assert g.find("application", "portail") is not None
    assert g.find("application", "nope") is None
    assert g.criticality[g.find("service", "paie")] == 4
    assert g.rto[g.find("service", "cantine")] == 24
    assert bool(g.redundant[g.find("asset", "nas")]) and not g.redundant[g.find("asset", "srv-a")]


def test_every_relation_becomes_an_edge(town_graph):
    g = town_graph
    assert ("service:cantine", "application:portail") in _edges(g, "uses")
    assert ("process:inscription", "service:cantine") in _edges(g, "uses")
    assert _edges(g, "depends-on") == {("application:cantine-app", "application:portail")}
    assert ("application:paie-app", "asset:srv-b") in _edges(g, "runs-on")
    assert _edges(g, "hosted-on") == {("asset:vm-cantine", "asset:hv1")}
    assert _edges(g, "located-at") == {("asset:hv1", "site:mairie")}
    # Only SaaS depends on its vendor.
    assert _edges(g, "provided-by") == {("application:portail", "party:editeur-x"),
                                        ("application:analytics", "party:cloud-us")}
    assert ("unit:enfance", "service:cantine") in _edges(g, "served-by")
    assert _edges(g, "owns") == {("unit:enfance", "process:inscription")}
    # Data edges point from the flow's target to its source (the target depends on it).
    assert ("application:portail", "unit:enfance") in _edges(g, "data")
    assert ("application:analytics", "application:cantine-app") in _edges(g, "data")
    assert (g.flow_ids[g.kind == DATA] > 0).all() and (g.flow_ids[g.kind != DATA] == -1).all()


def test_countries_inferred_from_hosting(town_graph):
    g = town_graph
    assert g.countries[g.find("asset", "hv1")] == "FR"  # from its site
    assert g.countries[g.find("asset", "vm-cantine")] == "FR"  # from its host
    assert g.countries[g.find("application", "cantine-app")] == "FR"  # from its only asset
    assert g.countries[g.find("application", "analytics")] == "US"  # stated
    assert g.countries[g.find("unit", "enfance")] == "FR"  # the workspace's


def test_flow_data_loaded_on_demand(town_graph):
    g = town_graph
    carried = {(g.key(int(g.dst[e])), g.key(int(g.src[e])), g.categories[c][1]) for e, c in g.flow_data().tolist()}
    assert ("application:portail", "application:cantine-app", "familles") in carried
    assert ("application:paie-app", "application:compta", "paie") in carried
    assert len(carried) == 4


def test_empty_workspace(workspace):
    g = build_graph(workspace)
    assert len(g) == 0 and len(g.src) == 0


def _queries(workspace) -> int:
    with CaptureQueriesContext(connection) as ctx:
        graph = build_graph(workspace)
        graph.flow_data()
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_workspace(db):
    small, large = load(scaled(3)), load(scaled(12))
    assert len(build_graph(large)) > 3 * len(build_graph(small)) > 0
    assert _queries(small) == _queries(large)
