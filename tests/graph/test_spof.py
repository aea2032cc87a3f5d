"""Single points of failure, with and without alternatives."""

from mue.graph.build import build_graph
from mue.graph.spof import single_points_of_failure, spof_as_dict
from tests.graph.conftest import load


def _spofs(graph, level: int = 3) -> dict[str, list[str]]:
    return {graph.key(p.node): [graph.slugs[s] for s in p.services] for p in single_points_of_failure(graph, level)}


def test_town(town_graph):
    assert _spofs(town_graph) == {
        # paie (criticality 4) first
        "application:paie-app": ["paie"], "application:ged": ["paie"],
        # cantine: both its applications, and the VM and hypervisor under the only asset of cantine-app
        "application:cantine-app": ["cantine"], "application:portail": ["cantine"],
        "asset:vm-cantine": ["cantine"], "asset:hv1": ["cantine"],
    }
    # srv-a and srv-b: paie-app runs on both, so neither alone stops it; nas is tagged "cluster".
    # analytics only serves stats (criticality 1), below the threshold.
    assert "application:analytics" in _spofs(town_graph, level=1)


def test_order_is_worst_criticality_first(town_graph):
    points = single_points_of_failure(town_graph)
    assert [p.worst(town_graph) for p in points] == sorted((p.worst(town_graph) for p in points), reverse=True)


def test_alternatives_and_their_common_dependency(db):
    ws = load({
        "workspace": {"slug": "alt", "name": "Alt"},
        "assets": [
            {"slug": "host", "name": "Host", "kind": "server"},
            {"slug": "vm1", "name": "VM1", "kind": "virtual-machine", "host": "host"},
            {"slug": "vm2", "name": "VM2", "kind": "virtual-machine", "host": "host"},
            {"slug": "n1", "name": "N1", "kind": "server"},
            {"slug": "n2", "name": "N2", "kind": "server"},
        ],
        "applications": [
            # Two VMs but one host: the host is still a single point of failure.
            {"slug": "web", "name": "Web", "kind": "custom", "runs_on": ["vm1", "vm2"], "tags": ["redundant"]},
            # Two independent servers and tagged redundant itself: nothing single.
            {"slug": "db", "name": "DB", "kind": "custom", "runs_on": ["n1", "n2"], "tags": ["ha"]},
        ],
        "services": [{"slug": "s", "name": "S", "criticality": 3, "applications": ["web", "db"]}],
    })
    graph = build_graph(ws)
    points = single_points_of_failure(graph)
    assert _spofs(graph) == {"asset:host": ["s"]}
    path = spof_as_dict(graph, points)["single_points_of_failure"][0]["services"][0]["path"]
    assert path[0] == {"object": "service:s", "via": None}
    assert path[-1] == {"object": "asset:host", "via": "hosted-on"}
    assert [step["object"] for step in path] == ["service:s", "application:web", "asset:vm1", "asset:host"]


def test_dependency_cycles_do_not_justify_themselves(db):
    ws = load({
        "workspace": {"slug": "cyc", "name": "Cyc"},
        "assets": [{"slug": "a1", "name": "A1", "kind": "server"}, {"slug": "a2", "name": "A2", "kind": "server"}],
        "applications": [
            {"slug": "x", "name": "X", "kind": "custom", "depends_on": ["y"], "runs_on": ["a1", "a2"],
             "tags": ["cluster"]},
            {"slug": "y", "name": "Y", "kind": "custom", "depends_on": ["x"], "runs_on": ["a1"],
             "tags": ["cluster"]},
        ],
        "services": [{"slug": "s", "name": "S", "criticality": 4, "applications": ["x"]}],
    })
    graph = build_graph(ws)
    # a1 downs y (its only asset), y downs x (required dependency), x downs s.
    assert _spofs(graph) == {"asset:a1": ["s"]}


def test_no_critical_service(workspace):
    assert single_points_of_failure(build_graph(workspace)) == []
