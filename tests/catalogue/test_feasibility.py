"""The feasibility check: each kind of breach found where planted, nowhere else, with its path."""

from __future__ import annotations

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mue.catalogue.feasibility import check_levels
from tests.catalogue.conftest import COMMUNE, load

pytestmark = pytest.mark.django_db


def found(workspace) -> dict[tuple[str, str], object]:
    return {(b.service_slug, b.check): b for b in check_levels(workspace)}


def test_every_planted_breach_and_no_other(commune):
    assert set(found(commune)) == {
        ("cantine", "provider-availability"), ("cantine", "provider-rto"), ("cantine", "support-hours"),
        ("police", "single-machine"), ("police", "restore-time"), ("enquetes", "no-contract"),
    }


def test_single_machine_names_the_server_and_the_path(commune):
    b = found(commune)[("police", "single-machine")]
    assert b.weakest.key == "asset:srv-police"
    assert [h.key for h in b.path] == ["service:police", "application:main-courante", "asset:srv-police"]
    assert b.promised == "99.9 %"


def test_provider_breaches_name_the_contract_through_the_application(commune):
    breaches = found(commune)
    availability = breaches[("cantine", "provider-availability")]
    assert availability.weakest.key == "contract:contrat-editeur" and availability.stated == "99.5 %"
    assert [h.key for h in availability.path] == ["service:cantine", "application:portail",
                                                  "contract:contrat-editeur"]
    rto = breaches[("cantine", "provider-rto")]
    assert (rto.promised, rto.stated) == ("24 h", "48 h")


def test_support_hours_name_the_team_before_the_provider(commune):
    b = found(commune)[("cantine", "support-hours")]
    assert b.weakest.key == "support_team:support"
    assert "Office hours" in b.stated and "Extended hours" in b.promised


def test_the_latest_restore_test_counts(commune):
    b = found(commune)[("police", "restore-time")]
    assert b.weakest.key == "restore_test:test-police" and b.stated == "12 h" and b.promised == "8 h"


def test_vendor_without_contract(commune):
    b = found(commune)[("enquetes", "no-contract")]
    assert b.weakest.key == "party:nocontract"
    assert [h.key for h in b.path] == ["service:enquetes", "application:sondage", "party:nocontract"]


def test_redundant_hosts_and_fast_restores_keep_the_promise(commune):
    assert not [k for k in found(commune) if k[0] == "etat-civil"]


def test_fixing_the_cause_removes_the_breach(db):
    doc = copy.deepcopy(COMMUNE)
    doc["contracts"][0].update(availability_percent=99.95, rto_hours=4, support_hours="24x7")
    doc["support_teams"][0]["support_hours"] = "extended"
    doc["contracts"].append({"slug": "c2", "name": "C2", "vendor": "nocontract"})
    ws = load(doc)
    assert {k for k in found(ws) if k[0] in ("cantine", "enquetes")} == set()


def test_a_constant_number_of_queries(commune):
    with CaptureQueriesContext(connection) as small:
        check_levels(commune)
    doc = copy.deepcopy(COMMUNE)
    doc["workspace"] = {"slug": "grand", "name": "Grand"}
    for i in range(15):
        doc["services"].append({"slug": f"s{i}", "name": f"S{i}", "applications": ["portail", "main-courante"]})
        doc["service_levels"].append({"slug": f"l{i}", "name": f"L{i}", "service": f"s{i}",
                                      "availability_target": 99.9, "support_hours": "24x7",
                                      "support_team": "support", "rto_hours": 1})
    grand = load(doc)
    with CaptureQueriesContext(connection) as large:
        assert len(check_levels(grand)) > 6
    assert len(large.captured_queries) == len(small.captured_queries)


def test_no_agreement_no_query(workspace):
    with CaptureQueriesContext(connection) as ctx:
        assert check_levels(workspace) == []
    assert len(ctx.captured_queries) == 1
