"""Impact analysis: what stops when an object fails, the reverse question, and the paths."""

import pytest

from mue.graph.resolve import ResolveError, resolve
from mue.graph.traverse import impact


def _reached(result) -> dict[str, int]:
    return {result.graph.key(int(n)): int(result.depth[n]) for n in result.reached}


def _path(result, key: str) -> list[tuple[str, str | None]]:
    g = result.graph
    return [(g.key(s.node), s.kind) for s in result.path(resolve(g, key))]


def test_asset_failure_reaches_applications_services_processes_and_units(town_graph):
    result = impact(town_graph, resolve(town_graph, "asset:hv1"))
    assert _reached(result) == {
        "asset:vm-cantine": 1, "application:cantine-app": 2, "service:cantine": 3, "application:analytics": 3,
        "process:inscription": 4, "unit:enfance": 4,
    }
    assert _path(result, "service:cantine") == [
        ("asset:hv1", None), ("asset:vm-cantine", "hosted-on"), ("application:cantine-app", "runs-on"),
        ("service:cantine", "uses")]
    assert result.worst_criticality == (3, resolve(town_graph, "service:cantine"))
    assert result.shortest_rto == (24.0, resolve(town_graph, "service:cantine"))


def test_what_stops_is_told_apart_from_what_loses_a_data_feed(town_graph):
    g = town_graph
    result = impact(g, resolve(g, "asset:hv1"))
    stopped = {g.key(int(n)) for n in result.stopped}
    fed = {g.key(int(n)) for n in result.losing_data}
    assert stopped == {"asset:vm-cantine", "application:cantine-app", "service:cantine", "process:inscription",
                       "unit:enfance"}
    # analytics receives a flow from cantine-app: it loses that feed but keeps running, so the service
    # stats resting on it does not stop and is not claimed (the old answer listed it as stopped).
    assert fed == {"application:analytics"}
    assert result.effect(resolve(g, "application:analytics")) == "loses-data-feed"
    assert result.effect(resolve(g, "service:cantine")) == "stops"
    assert _path(result, "application:analytics")[-1] == ("application:analytics", "data")
    assert "service:stats" not in _reached(result)
    data = result.as_dict()
    assert data["counts_by_effect"]["loses-data-feed"]["application"] == 1
    assert data["counts_by_effect"]["stops"]["service"] == 1
    assert {item["slug"]: item["effect"] for item in data["reached"]}["analytics"] == "loses-data-feed"


def test_a_lost_feed_is_one_flow_away_and_never_stops_what_rests_on_it(town_graph):
    g = town_graph
    # portail feeds cantine-app, which feeds analytics: cantine-app stops (it depends on portail),
    # analytics loses its feed from cantine-app; nothing downstream of analytics is claimed.
    result = impact(g, resolve(g, "application:portail"))
    assert result.effect(resolve(g, "application:cantine-app")) == "stops"  # depends-on wins over the flow
    assert result.effect(resolve(g, "application:analytics")) == "loses-data-feed"
    assert "service:stats" not in _reached(result)


def test_reverse_names_data_sources_apart(town_graph):
    g = town_graph
    result = impact(g, resolve(g, "application:compta"), reverse=True)
    assert {g.key(int(n)): result.effect(int(n)) for n in result.reached} == {
        "asset:srv-a": "rests-on", "application:paie-app": "data-source"}


def test_data_dependencies_can_be_left_out(town_graph):
    result = impact(town_graph, resolve(town_graph, "asset:hv1"), include_data=False)
    assert "application:analytics" not in _reached(result)
    assert result.shortest_rto == (24.0, resolve(town_graph, "service:cantine"))
    assert result.as_dict()["data_dependencies"] is False


def test_application_failure_spreads_to_dependent_applications(town_graph):
    result = impact(town_graph, resolve(town_graph, "portail"), include_data=False)
    reached = _reached(result)
    assert reached["application:cantine-app"] == 1  # depends-on
    assert reached["service:cantine"] == 1
    assert "asset:vm-cantine" not in reached  # failure goes to dependents, never to dependencies


def test_units_and_parties_are_affected_but_do_not_propagate(town_graph):
    # The unit enfance sends data to portail; reached from cantine it must not carry the failure on.
    result = impact(town_graph, resolve(town_graph, "service:cantine"))
    reached = _reached(result)
    assert "unit:enfance" in reached
    assert "application:portail" not in reached
    # Started from, a unit does propagate: the portal loses the data it enters.
    from_unit = _reached(impact(town_graph, resolve(town_graph, "unit:enfance")))
    assert from_unit["application:portail"] == 1
    # A SaaS vendor failing stops its SaaS and what rests on it.
    from_vendor = impact(town_graph, resolve(town_graph, "party:editeur-x"), include_data=False)
    assert _reached(from_vendor)["application:portail"] == 1
    assert from_vendor.worst_criticality[0] == 3


def test_reverse_lists_everything_an_object_depends_on(town_graph):
    result = impact(town_graph, resolve(town_graph, "service:cantine"), reverse=True, include_data=False)
    assert _reached(result) == {"application:portail": 1, "application:cantine-app": 1, "party:editeur-x": 2,
                                "asset:vm-cantine": 2, "asset:hv1": 3, "site:mairie": 4}
    assert _path(result, "site:mairie")[-1] == ("site:mairie", "located-at")
    assert result.as_dict()["direction"] == "dependencies"


def test_as_dict_describes_each_object_with_its_path(town_graph):
    data = impact(town_graph, resolve(town_graph, "asset:hv1")).as_dict()
    assert data["object"] == {"type": "asset", "slug": "hv1", "name": "Hyperviseur"}
    assert data["worst_criticality"]["service"] == "cantine"
    assert data["counts"]["service"] == 1
    cantine = next(item for item in data["reached"] if item["slug"] == "cantine")
    assert cantine["criticality"] == 3 and cantine["rto_hours"] == 24
    assert [step["object"] for step in cantine["path"]] == [
        "asset:vm-cantine", "application:cantine-app", "service:cantine"]


def test_nothing_reached(town_graph):
    result = impact(town_graph, resolve(town_graph, "unit:dgs"))
    assert len(result.reached) == 0 and result.worst_criticality is None and result.shortest_rto is None


def test_resolve_type_slug_and_ambiguity(town_graph):
    g = town_graph
    assert g.key(resolve(g, "hv1")) == "asset:hv1"
    assert g.key(resolve(g, "apps:compta")) == "application:compta"
    assert g.key(resolve(g, "compta", "unit")) == "unit:compta"
    with pytest.raises(ResolveError) as caught:
        resolve(g, "compta")
    assert caught.value.candidates == ["unit:compta", "application:compta"]
    with pytest.raises(ResolveError):
        resolve(g, "missing")
    with pytest.raises(ResolveError):
        resolve(g, "gizmo:hv1")
