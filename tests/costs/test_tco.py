"""Total cost of ownership computed on a small commune whose figures are worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mue.costs.tco import compute, default_year, service_fractions
from mue.interchange.importer import import_document

pytestmark = pytest.mark.django_db


def amounts(report, dimension: str) -> dict:
    return {row.slug: row.amount.quantize(Decimal("0.01")) for row in report.rows[dimension]}


def test_cost_per_service_follows_the_sharing_keys(town):
    report = compute(town, 2026)
    # cantine: its own line 1,200 + infogérance by users 4,000 × 10/40; messagerie: the suite's 6,000 split
    # by the users of its two services + infogérance 4,000 × 30/40; postes: the suite + 60 % of the agents;
    # sauvegarde: 40 % of the agents (no user count: no part of the line shared by users); DPO: nowhere.
    assert amounts(report, "service") == {"postes": Decimal("9000.00"), "messagerie": Decimal("6000.00"),
                                          "sauvegarde": Decimal("4000.00"), "cantine": Decimal("2200.00"),
                                          None: Decimal("800.00")}
    assert [r.slug for r in report.rows["service"]] == ["postes", "messagerie", "sauvegarde", "cantine", None]
    cantine = next(r for r in report.rows["service"] if r.slug == "cantine")
    assert cantine.users == 10 and cantine.per_user == Decimal("220.00")
    assert cantine.previous == Decimal("1000") and cantine.change == Decimal("120.0")


def test_totals_trend_and_cost_per_inhabitant(town):
    report = compute(town, 2026)
    assert report.total == Decimal("22000") and report.previous_total == Decimal("1000")
    assert report.years == [2025, 2026] and report.change == Decimal("2100.0")
    assert report.per_inhabitant == Decimal("11.00")  # 22,000 for 2,000 inhabitants
    assert sum(r.amount for r in report.rows["service"]).quantize(Decimal("0.01")) == Decimal("22000.00")


def test_what_each_units_services_cost_it_and_what_it_pays(town):
    report = compute(town, 2026)
    # a service's cost is split equally between the units it serves
    assert amounts(report, "unit") == {"enfance": Decimal("8200.00"), "dsi": Decimal("7000.00"),
                                       "dgs": Decimal("6000.00"), None: Decimal("800.00")}
    paid = {r.slug: r.paid for r in report.rows["unit"]}
    assert paid == {"dsi": Decimal("20000"), "enfance": Decimal("1200"), "dgs": Decimal("800"), None: Decimal(0)}


def test_cost_per_application_and_vendor(town):
    report = compute(town, 2026)
    assert amounts(report, "application") == {"suite": Decimal("6000.00"), "portail": Decimal("1200.00"),
                                              None: Decimal("14800.00")}
    # the contract's vendor, else the application's
    assert amounts(report, "vendor") == {"cloud": Decimal("6000.00"), "editeur": Decimal("1200.00"),
                                         None: Decimal("14800.00")}


def test_duplicated_tools_with_their_combined_cost(town):
    (dup,) = compute(town, 2026).duplicates
    assert dup.category == "video-conferencing" and dup.label == "Video conferencing"
    assert [(t["slug"], t["status"]) for t in dup.tools] == [("portail", "approved"), ("visio-a", "shadow")]
    assert dup.total == Decimal("1200")


def test_licence_waste_from_the_observed_users(observed):
    (waste,) = compute(observed, 2026).waste
    # 50 seats at 6,000 / 50 = 120 each, a peak of 20 active users in 2026 (45 in 2025 does not count)
    assert (waste.slug, waste.seats, waste.active, waste.unused) == ("suite", 50, 20, 30)
    assert waste.unit_price == Decimal("120.00") and waste.amount == Decimal("3600.00")
    suite = next(r for r in compute(observed, 2026).rows["application"] if r.slug == "suite")
    assert suite.users == 20 and suite.per_user == Decimal("300.00")  # per active user, not per seat


def test_no_waste_without_observations_and_none_below_the_seats(town):
    assert compute(town, 2026).waste == []
    from mue.applications.models import Application
    from mue.usage.models import UsageObservation

    suite = Application.objects.get(workspace=town, slug="suite")
    UsageObservation.objects.create(workspace=town, application=suite, month=dt.date(2026, 5, 1), active_users=50,
                                    source="sso")
    assert compute(town, 2026).waste == []


def test_other_currencies_are_left_out_and_counted(town):
    import_document({"costs": [
        {"slug": "chf", "name": "En francs suisses", "amount": 999, "year": 2026, "kind": "support",
         "currency": "CHF"}]}, workspace="bourg")
    report = compute(town, 2026)
    assert report.currency == "EUR" and report.other_currencies == 1 and report.total == Decimal("22000")


def test_a_workspace_without_costs():
    from mue.core.models import Workspace

    ws = Workspace.objects.create(slug="vide", name="Vide")
    report = compute(ws)
    assert report.year is None and report.years == [] and report.total == 0 and report.per_inhabitant is None
    assert report.as_dict()["by_service"] == []


def test_default_year_is_this_year_or_the_latest_before():
    assert default_year([2024, 2025, 2027], dt.date(2026, 6, 1)) == 2025
    assert default_year([2026], dt.date(2026, 6, 1)) == 2026
    assert default_year([2030], dt.date(2026, 6, 1)) == 2030
    assert default_year([], dt.date(2026, 6, 1)) is None


def test_fractions_of_each_key():
    users = {1: 10, 2: 30, 3: None}
    assert service_fractions("users", [(1, None), (2, None)], users) == {1: Decimal("0.25"), 2: Decimal("0.75")}
    # nobody has a user count: equal parts rather than nothing
    assert service_fractions("users", [(3, None)], users) == {3: Decimal(1)}
    assert service_fractions("equal", [(1, None), (2, None)], users) == {1: Decimal("0.5"), 2: Decimal("0.5")}
    assert service_fractions("percentages", [(1, Decimal(70)), (2, Decimal(30))], users) == {
        1: Decimal("0.7"), 2: Decimal("0.3")}


def _grow(n: int) -> None:
    costs, shares, services = [], [], []
    for i in range(n):
        services.append({"slug": f"s{i}", "name": f"S{i}", "units": ["dgs"], "users_count": i + 1})
        costs.append({"slug": f"c{i}", "name": f"C{i}", "amount": 100 + i, "year": 2026, "kind": "support",
                      "sharing": "equal", "application": "suite"})
        shares.append({"slug": f"p{i}", "name": f"P{i}", "cost": f"c{i}", "service": f"s{i}"})
    import_document({"services": services, "costs": costs, "cost_shares": shares}, workspace="bourg")


def test_queries_do_not_grow_with_the_lines(town):
    with CaptureQueriesContext(connection) as small:
        compute(town, 2026)
    _grow(40)
    with CaptureQueriesContext(connection) as large:
        report = compute(town, 2026)
    assert len(report.rows["service"]) > 40
    assert len(large.captured_queries) == len(small.captured_queries) == 9
