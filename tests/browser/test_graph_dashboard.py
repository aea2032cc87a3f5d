"""Issue #11 in the browser: the impact of a server from its page, the dashboard's charts, the
advisor's cockpit listing both demos, a client workspace created from the commune template."""

from __future__ import annotations

import re

import pytest

from tests.browser.helpers import assert_accessible, fill_new_client_workspace, log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demos(db):
    from mue.demo import DEMOS, load_demo

    for name in DEMOS:
        load_demo(name)


@pytest.fixture
def advisor(demos, tmp_path):
    """The advisor of ``mue setup`` (``conseil``, auditor of both demos), with the password it prints."""
    from django.contrib.auth import get_user_model

    from mue.accounts.demo import initial_advisor
    from mue.accounts.models import profile_of
    from mue.demo import DEMOS

    login = initial_advisor(tmp_path, DEMOS)
    profile = profile_of(get_user_model().objects.get(username=login[0]))
    profile.language = "en"  # the words the tests look for
    profile.save()
    return login


def test_open_the_impact_of_the_police_server_from_its_page(page, base_url, advisor):
    log_in(page, base_url, *advisor)
    page.goto(f"{base_url}/w/valmont/assets/srv-police/")
    tab = page.locator("#tab-impact").locator("xpath=ancestor::section")
    tab.get_by_text(re.compile("Municipol Main courante")).wait_for()  # the summary, loaded after the page
    assert_accessible(page)
    tab.get_by_role("link", name="What stops if this fails").click()
    page.wait_for_url(re.compile(r"/w/valmont/graph/object/asset/srv-police/"))
    stops = page.locator("#group-stops").locator("xpath=ancestor::section")
    assert stops.get_by_role("link", name="Municipol Main courante").count() == 1
    assert stops.get_by_role("link", name=re.compile("Police municipale")).count() >= 1
    assert page.locator("#group-loses-feed").count() == 1
    diagram = page.locator("img[src*='graph.svg']")
    diagram.scroll_into_view_if_needed()
    page.wait_for_function("() => { const img = document.querySelector(\"img[src*='graph.svg']\"); "
                           "return img.complete && img.naturalWidth > 0; }")
    assert_accessible(page)
    page.get_by_role("link", name="Show in the dependency graph").click()
    page.wait_for_url(re.compile(r"/w/valmont/graph/\?focus="))
    page.locator("#mg-status").get_by_text(re.compile("objects")).wait_for()
    assert page.locator("#mg-details h2").first.inner_text() == "Serveur du poste de police"


def test_dashboard_draws_its_charts(page, base_url, advisor):
    from mue.audit.engine import run_audit
    from mue.audit.store import save_run
    from mue.core.models import Workspace

    valmont = Workspace.objects.get(slug="valmont")
    save_run(run_audit(valmont))
    save_run(run_audit(valmont))
    log_in(page, base_url, *advisor)
    page.goto(f"{base_url}/w/valmont/")
    page.locator("[data-mue-chart] canvas").first.wait_for()
    assert page.locator("[data-mue-chart][data-mue-drawn]").count() == 3
    assert page.get_by_role("heading", name="Register completeness").count() == 1
    assert_accessible(page)


def test_cockpit_lists_both_demos_for_the_advisor(page, base_url, advisor):
    log_in(page, base_url, *advisor)
    page.goto(f"{base_url}/")
    table = page.locator("table").filter(has=page.locator("caption", has_text="Your workspaces"))
    assert table.get_by_role("link", name="Commune de Valmont").count() == 1
    assert table.get_by_role("link", name="Atelier Lumen").count() == 1
    assert_accessible(page)
    page.get_by_role("link", name="Last activity").click()
    page.wait_for_url(re.compile("sort=activity"))
    assert page.locator("th[aria-sort]").count() == 1


def test_create_a_workspace_from_the_commune_template(page, base_url, advisor):
    from mue.core.models import Membership
    from mue.services.models import Service

    log_in(page, base_url, *advisor)
    fill_new_client_workspace(page, base_url, "Commune de Bourg-sur-Orme", 2300, "mairie@bourg-sur-orme.fr")
    assert_accessible(page)
    page.get_by_role("button", name="Create the workspace").click()
    page.wait_for_url(f"{base_url}/w/commune-de-bourg-sur-orme/")
    assert "mairie@bourg-sur-orme.fr" in page.locator(".mue-messages").inner_text()
    assert Service.objects.filter(workspace__slug="commune-de-bourg-sur-orme", slug="etat-civil").exists()
    membership = Membership.objects.get(workspace__slug="commune-de-bourg-sur-orme", user__username="conseil")
    assert membership.role == "auditor"
    assert_accessible(page)
