"""Criticality propagation: inherited needs and the service they come from."""

from mue.graph.build import build_graph
from mue.graph.propagation import InheritedNeeds, effective_criticality, inherited_needs
from tests.graph.conftest import load


def _by_slug(workspace) -> dict[str, InheritedNeeds]:
    graph = build_graph(workspace)
    needs = inherited_needs(workspace, graph)
    out = {}
    for (type_name, ident), value in needs.items():
        node = graph.index_of(type_name, [ident])[0]
        out[graph.key(int(node))] = value
    return out


def test_needs_flow_down_to_applications_and_assets_with_their_origin(town):
    needs = _by_slug(town)
    assert needs["application:portail"] == InheritedNeeds(3, 2, 3, 2, 3, {
        "availability": "cantine", "integrity": "cantine", "confidentiality": "cantine",
        "traceability": "cantine", "criticality": "cantine"})
    # Through depends-on, runs-on and hosted-on: the hypervisor under the cantine VM.
    assert needs["asset:hv1"].criticality == 3 and needs["asset:hv1"].sources["criticality"] == "cantine"
    # srv-a carries both paie-app (service paie) and compta (no service): the highest wins.
    srv_a = needs["asset:srv-a"]
    assert (srv_a.availability, srv_a.integrity, srv_a.confidentiality, srv_a.criticality) == (2, None, 4, 4)
    assert srv_a.sources == {"availability": "paie", "confidentiality": "paie", "criticality": "paie"}
    assert needs["application:compta"] == InheritedNeeds(None, None, None, None, None, {})
    # Data flows do not carry needs: analytics only has what its own service (stats) gives.
    assert needs["application:analytics"].criticality == 1
    assert set(needs) == {k for k in needs if k.split(":")[0] in ("application", "asset")}


def test_highest_value_per_dimension_from_different_services_and_ties_go_to_first_slug(db):
    ws = load({
        "workspace": {"slug": "tie", "name": "Tie"},
        "applications": [{"slug": "shared", "name": "Shared", "kind": "custom", "depends_on": ["lib"]},
                         {"slug": "lib", "name": "Lib", "kind": "custom", "depends_on": ["shared"]}],  # a cycle
        "services": [
            {"slug": "zeta", "name": "Z", "criticality": 4, "needs": {"availability": 2, "integrity": 4},
             "applications": ["shared"]},
            {"slug": "alpha", "name": "A", "criticality": 4, "needs": {"availability": 3, "integrity": 1},
             "applications": ["shared"]},
        ],
    })
    needs = _by_slug(ws)
    for key in ("application:shared", "application:lib"):
        value = needs[key]
        assert (value.availability, value.integrity, value.criticality) == (3, 4, 4)
        assert value.sources == {"availability": "alpha", "integrity": "zeta", "criticality": "alpha"}


def test_effective_criticality(town_graph):
    crit = effective_criticality(town_graph)
    g = town_graph
    assert crit[g.find("service", "stats")] == 1  # own
    assert crit[g.find("application", "ged")] == 4  # inherited
    assert crit[g.find("unit", "enfance")] == 0  # units have none


def test_as_dict(town):
    value = next(iter(inherited_needs(town).values()))
    assert set(value.as_dict()) == {"availability", "integrity", "confidentiality", "traceability", "criticality",
                                    "sources"}
