"""Issue #16's acceptance on the demo commune: cost per unit and per inhabitant, a renewal calendar that a
calendar application imports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import icalendar
import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def valmont(db):
    from mue.core.models import Workspace
    from mue.demo import load_demo

    load_demo("valmont")
    return Workspace.objects.get(slug="valmont")


def test_cost_per_unit_and_per_inhabitant(valmont):
    from mue.costs.tco import compute

    report = compute(valmont, dt.date.today().year)
    assert report.population == 14800 and report.total > 0
    assert report.per_inhabitant == (report.total / 14800).quantize(Decimal("0.01"))
    assert Decimal(10) < report.per_inhabitant < Decimal(30)
    units = {r.slug: r for r in report.rows["unit"]}
    # the IT staff's 10 % of the canteen service reach the children's direction, with its own subscription
    assert units["enfance"].amount > units["enfance"].paid == Decimal("9600")
    assert units["dsi"].paid > units["dsi"].amount  # IT pays for everybody
    shared = {r.slug: r.amount for r in report.rows["service"]}
    assert shared["sauvegarde"] > Decimal("9800")  # 10 % of 98,000 + part of outsourcing + its own lines
    assert sum(report.totals.values()) == sum(report.totals[y] for y in report.years)


def test_the_renewal_calendar_imports_into_a_calendar(valmont, compiled):
    from mue.costs.feeds import calendar
    from mue.costs.renewals import renewals

    items = renewals(valmont)
    cal = icalendar.Calendar.from_ical(calendar(valmont))
    events = list(cal.walk("VEVENT"))
    notices = [e for e in events if str(e["uid"]).endswith("-notice@valmont.mue")]
    assert len(notices) >= len(items) > 5
    assert all(len(e.walk("VALARM")) == 2 for e in notices)
    assert str(cal["x-wr-calname"]) == "Renouvellements des contrats · Commune de Valmont"  # its language
