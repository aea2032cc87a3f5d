"""Personal-data lineage: hops through the flows and exits from the EU/adequacy zone."""

import pytest

from mue.graph.build import build_graph
from mue.graph.lineage import UnknownCategory, lineage
from tests.graph.conftest import load


def _reached(result) -> dict[str, int]:
    return {result.graph.key(int(n)): int(result.depth[n]) for n in result.reached}


def test_hops_and_exit(town_graph):
    result = lineage(town_graph, "familles")
    assert _reached(result) == {"unit:enfance": 0, "application:portail": 0, "application:cantine-app": 1,
                                "application:analytics": 2}
    data = result.as_dict()
    assert data["category"]["personal_data"] == "personal"
    assert data["exits"] == [{
        "object": "application:analytics", "name": "Statistiques <cloud>", "country": "US", "zone": "conditional",
        "hops": 2, "from": "application:cantine-app", "flow": "cantine-app-to-analytics",
        "reason": "receives it through a flow",
    }]
    analytics = next(item for item in data["reached"] if item["slug"] == "analytics")
    assert [step["object"] for step in analytics["path"]] == [
        "application:portail", "application:cantine-app", "application:analytics"]
    assert [step["flow"] for step in analytics["path"]] == [None, "portail-to-cantine-app",
                                                           "cantine-app-to-analytics"]
    portail = next(item for item in data["reached"] if item["slug"] == "portail")
    assert portail["holds"] and portail["origin"] and portail["zone"] == "eea"


def test_category_that_stays_in_the_eu(town_graph):
    result = lineage(town_graph, "paie")
    assert _reached(result) == {"application:paie-app": 0, "application:compta": 1}
    assert result.exits == []


def test_parties_held_abroad_and_cycles_without_origin(db):
    ws = load({
        "workspace": {"slug": "lin", "name": "Lin"},
        "parties": [{"slug": "caf", "name": "CAF", "country": "FR"}, {"slug": "mystery", "name": "M"},
                    {"slug": "far", "name": "Far", "country": "CN"}],
        "data_categories": [{"slug": "c", "name": "C", "personal_data": "sensitive"}],
        "applications": [{"slug": "a", "name": "A", "kind": "custom"}, {"slug": "b", "name": "B", "kind": "custom"},
                         {"slug": "abroad", "name": "Abroad", "kind": "saas", "hosting_country": "BR",
                          "data": ["c"]},
                         {"slug": "p", "name": "P", "kind": "custom"}, {"slug": "q", "name": "Q", "kind": "custom"}],
        "flows": [
            {"from": "party:caf", "to": "a", "data": ["c"]},
            {"from": "a", "to": "party:mystery", "data": ["c"]},
            {"from": "a", "to": "party:far"},  # carries nothing: not followed
            # a cycle with a holder in it
            {"from": "b", "to": "abroad", "data": ["c"]},
            {"from": "abroad", "to": "b", "data": ["c"]},
            # a cycle no origin feeds: its first source by slug becomes one
            {"from": "q", "to": "p", "data": ["c"]},
            {"from": "p", "to": "q", "data": ["c"]},
        ],
    })
    result = lineage(build_graph(ws), "c")
    assert _reached(result) == {"application:abroad": 0, "party:caf": 0, "application:p": 0,
                                "application:a": 1, "application:b": 1, "application:q": 1, "party:mystery": 2}
    assert result.origin_set == {result.graph.find(t, s) for t, s in
                                 [("application", "abroad"), ("party", "caf"), ("application", "p")]}
    zones = {item["slug"]: item["zone"] for item in result.as_dict()["reached"]}
    assert zones["mystery"] == "unknown"
    assert [(e["object"], e["zone"], e["from"]) for e in result.exits] == [
        ("application:abroad", "third-country", None)]


def test_unknown_category(town_graph):
    with pytest.raises(UnknownCategory):
        lineage(town_graph, "nope")


def test_category_without_flows_or_holders(db):
    ws = load({"workspace": {"slug": "e", "name": "E"}, "data_categories": [{"slug": "c", "name": "C"}]})
    result = lineage(build_graph(ws), "c")
    assert len(result.reached) == 0 and result.exits == []
