"""Impact, reverse impact, SPOF and lineage through the API: the commands' --json, from the same functions."""

from __future__ import annotations

import pytest

from mue.graph.build import build_graph
from mue.graph.spof import single_points_of_failure, spof_as_dict
from mue.graph.traverse import impact

pytestmark = pytest.mark.django_db

BASE = "/api/v1/workspaces/valmont/graph"


def test_impact_is_what_the_engine_finds(owner, valmont):
    answer = owner.get(f"{BASE}/impact/asset/vm-metier-01").json()
    graph = build_graph(valmont)
    expected = impact(graph, graph.find("asset", "vm-metier-01"))
    assert answer["object"]["slug"] == "vm-metier-01" and answer["direction"] == "impact"
    assert {(r["type"], r["slug"]) for r in answer["reached"]} == {
        (graph.type_of(int(n)), graph.slugs[n]) for n in expected.reached}
    assert answer["counts"] == expected.counts()
    assert all(r["path"] for r in answer["reached"])


def test_reverse_impact_without_data_or_paths(owner, valmont):
    answer = owner.get(f"{BASE}/impact/application/portail-famille", reverse="true", data="false",
                       paths="false").json()
    assert answer["direction"] == "dependencies" and not answer["data_dependencies"]
    assert ("application", "logiciel-enfance") in {(r["type"], r["slug"]) for r in answer["reached"]}
    assert all("path" not in r for r in answer["reached"])


def test_type_aliases_and_unknown_objects(owner, valmont):
    assert owner.get(f"{BASE}/impact/applications/portail-famille").status_code == 200
    assert owner.get(f"{BASE}/impact/application/nowhere").json()["code"] == "not_found"
    assert owner.get(f"{BASE}/impact/spaceship/x").status_code == 404
    wrong = owner.get(f"{BASE}/impact/application/portail-famille", reverse="perhaps")
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "reverse"


def test_single_points_of_failure(owner, valmont):
    answer = owner.get(f"{BASE}/spof", min_criticality="2").json()
    graph = build_graph(valmont)
    assert answer == spof_as_dict(graph, single_points_of_failure(graph, 2))
    assert answer["single_points_of_failure"]
    assert owner.get(f"{BASE}/spof", min_criticality="9").status_code == 422


def test_lineage_of_a_data_category(owner, valmont):
    answer = owner.get(f"{BASE}/lineage/donnees-familles").json()
    assert answer["category"] == {"slug": "donnees-familles", "name": "Données des familles",
                                  "personal_data": "personal"}
    reached = {r["slug"] for r in answer["reached"]}
    assert {"portail-famille", "logiciel-enfance"} <= reached
    assert owner.get(f"{BASE}/lineage/nothing-like-it").status_code == 404


def test_a_stranger_sees_no_graph(valmont, member):
    _user, stranger = member(None)
    assert stranger.get(f"{BASE}/spof").status_code == 404
