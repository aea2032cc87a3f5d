"""Issue #16 in the browser: Valmont's cost of ownership with its charts drawn, and its renewal calendar
with a calendar address created, shown once, read by a calendar parser and revoked."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import icalendar
import pytest

from tests.browser.helpers import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def owner(db):
    from django.contrib.auth import get_user_model

    from mue.accounts.models import profile_of
    from mue.core.models import Membership, Workspace
    from mue.demo import load_demo

    load_demo("valmont")
    user = get_user_model().objects.create_user("dgs", password="Pw-costs-2026!")
    Membership.objects.create(workspace=Workspace.objects.get(slug="valmont"), user=user, role="owner")
    profile = profile_of(user)
    profile.language = "en"
    profile.save()
    return "dgs", "Pw-costs-2026!"


def test_costs_page_draws_its_charts_with_the_cost_per_inhabitant(page, base_url, owner):
    log_in(page, base_url, *owner)
    page.get_by_role("link", name="Cost of ownership").click()
    page.wait_for_url(re.compile(r"/w/valmont/cost-of-ownership/"))
    page.locator("[data-mue-chart] canvas").first.wait_for()
    assert page.locator("[data-mue-chart][data-mue-drawn]").count() == 3  # units, services, trend
    assert re.search(r"\d+\.\d\d EUR", page.locator("#costs-per-inhabitant").inner_text())
    units = page.get_by_role("region", name="What each unit's services cost it")
    assert units.get_by_role("link", name="Direction enfance-éducation").count() == 1
    assert_accessible(page)


def test_calendar_address_created_read_and_revoked(page, base_url, owner):
    log_in(page, base_url, *owner)
    page.goto(f"{base_url}/w/valmont/renewals/")
    assert page.get_by_role("rowgroup").filter(has_text=re.compile(r"20\d\d")).count() >= 3  # months
    assert_accessible(page)
    page.get_by_label("Name").fill("Agenda DGS")
    page.get_by_role("button", name="Create a calendar address").click()
    address = page.locator("#new-feed").inner_text().strip()
    assert address.startswith(f"{base_url}/calendar/cal_")
    with urllib.request.urlopen(address) as answer:  # noqa: S310 (the live server)
        cal = icalendar.Calendar.from_ical(answer.read())
    notices = [e for e in cal.walk("VEVENT") if str(e["uid"]).endswith("-notice@valmont.mue")]
    assert notices and all(len(e.walk("VALARM")) == 2 for e in notices)
    page.goto(f"{base_url}/w/valmont/renewals/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke").click()
    page.get_by_text("revoked: it no longer answers").wait_for()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(address)  # noqa: S310
    assert refused.value.code == 404
