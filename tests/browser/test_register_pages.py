"""The register in the browser, as issue #10 asks: create an application and link it to a service,
see the link on both pages and in the history; bulk-edit three applications; change language; a
viewer sees no edit button and a forged POST is refused; an owner invites an auditor who can read."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from mue.applications.models import Application
from mue.core.models import Membership, Workspace
from mue.services.models import Service
from tests.browser.helpers import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-password-1"


@pytest.fixture
def commune(db):
    """A small commune: a service, two applications, a unit."""
    from mue.interchange.importer import import_document

    import_document({
        "workspace": {"slug": "bourg", "name": "Commune de Bourg", "kind": "commune"},
        "units": [{"slug": "enfance", "name": "Enfance"}],
        "services": [{"slug": "cantine", "name": "Restauration scolaire", "criticality": 3}],
        "applications": [{"slug": f"app-{i}", "name": f"Logiciel {i}", "kind": "saas"} for i in range(1, 5)],
    })
    return Workspace.objects.get(slug="bourg")


def _member(workspace, username: str, role: str):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", PASSWORD)
    Membership.objects.create(workspace=workspace, user=user, role=role)
    return user


def test_create_an_application_link_it_to_a_service_and_see_it_everywhere(page, base_url, commune):
    _member(commune, "alice", "owner")
    log_in(page, base_url, "alice", PASSWORD)
    page.goto(f"{base_url}/w/bourg/applications/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^(Add|Ajouter)$")).click()
    page.fill("#id_name", "Portail Famille")
    page.select_option("#id_kind", "saas")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^(Create|Créer)$")).click()
    page.wait_for_url(f"{base_url}/w/bourg/applications/portail-famille/")
    assert Application.objects.filter(workspace=commune, slug="portail-famille").exists()

    page.goto(f"{base_url}/w/bourg/services/cantine/edit/")
    # The applications field is a Tom Select asking the autocomplete URL as one types.
    field = page.locator("#id_applications").locator("xpath=following-sibling::div[contains(@class,'ts-wrapper')]")
    field.locator("input").fill("Portail")
    page.locator(".ts-dropdown .option", has_text="Portail Famille").click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name=re.compile("^(Save|Enregistrer)$")).click()
    page.wait_for_url(f"{base_url}/w/bourg/services/cantine/")
    assert page.get_by_role("link", name="Portail Famille").count() >= 1
    assert_accessible(page)

    page.goto(f"{base_url}/w/bourg/applications/portail-famille/")
    assert page.get_by_role("link", name="Restauration scolaire").count() >= 1  # the link, from the other side
    page.goto(f"{base_url}/w/bourg/services/cantine/history/")
    assert "Portail Famille" in page.content()
    assert_accessible(page)


def test_bulk_edit_three_applications(page, base_url, commune):
    _member(commune, "alice", "editor")
    log_in(page, base_url, "alice", PASSWORD)
    page.goto(f"{base_url}/w/bourg/applications/")
    for slug in ("app-1", "app-2", "app-3"):
        pk = Application.objects.get(workspace=commune, slug=slug).pk
        page.check(f'input[name="pk"][value="{pk}"]')
    assert "3" in page.locator("[data-mue-selected-count]").inner_text()
    page.get_by_role("button", name=re.compile("Edit selected|Modifier la sélection")).click()
    page.check('input[name="change__status"]')
    page.select_option("#id_status", "tolerated")
    page.get_by_role("button", name=re.compile("Apply|Appliquer")).click()
    page.wait_for_url(f"{base_url}/w/bourg/applications/")
    statuses = dict(Application.objects.filter(workspace=commune).values_list("slug", "status"))
    assert statuses == {"app-1": "tolerated", "app-2": "tolerated", "app-3": "tolerated", "app-4": "approved"}


def test_changing_language_changes_the_pages(page, base_url, commune):
    _member(commune, "alice", "owner")
    log_in(page, base_url, "alice", PASSWORD)
    page.goto(f"{base_url}/accounts/me/")
    page.select_option("select[name=language]", "en")
    page.locator("form:has(select[name=language]) button[type=submit]").click()
    page.goto(f"{base_url}/w/bourg/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Overview").count() == 1
    page.goto(f"{base_url}/accounts/me/")
    page.select_option("select[name=language]", "fr")
    page.locator("form:has(select[name=language]) button[type=submit]").click()
    page.goto(f"{base_url}/w/bourg/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("link", name="Vue d'ensemble").count() == 1


def test_a_viewer_sees_no_edit_button_and_a_forged_post_is_refused(page, base_url, commune):
    _member(commune, "victor", "viewer")
    log_in(page, base_url, "victor", PASSWORD)
    page.goto(f"{base_url}/w/bourg/applications/app-1/")
    assert page.get_by_role("link", name=re.compile("^(Edit|Modifier)$")).count() == 0
    assert page.locator('input[name="pk"]').count() == 0
    token = page.evaluate("() => document.body.getAttribute('hx-headers')")
    csrf = re.search(r'"X-CSRFToken": "([^"]+)"', token).group(1)
    response = page.request.post(f"{base_url}/w/bourg/applications/app-1/edit/",
                                 form={"name": "Forged", "kind": "saas", "csrfmiddlewaretoken": csrf},
                                 headers={"Referer": f"{base_url}/w/bourg/applications/app-1/"})
    assert response.status == 404
    assert Application.objects.get(workspace=commune, slug="app-1").name == "Logiciel 1"


def test_an_owner_invites_an_auditor_who_can_then_read(page, browser, base_url, commune, mailoutbox):
    _member(commune, "olga", "owner")
    log_in(page, base_url, "olga", PASSWORD)
    page.goto(f"{base_url}/w/bourg/members/")
    assert_accessible(page)
    invite = page.locator("form:has(input[name=email])").first
    invite.locator("input[name=email]").fill("conseil@example.org")
    invite.locator("select[name=role]").select_option("auditor")
    invite.locator("button[type=submit]").click()
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", mailoutbox[0].body).group(0)

    advisor = browser.new_context(base_url=base_url)
    other = advisor.new_page()
    other.goto(link)
    other.fill("input[name=username]", "conseil")
    other.fill("input[name=password1]", PASSWORD + "x")
    other.fill("input[name=password2]", PASSWORD + "x")
    other.get_by_role("button", name=re.compile("Create my account|Créer mon compte")).click()
    other.wait_for_url(f"{base_url}/w/bourg/")
    other.goto(f"{base_url}/w/bourg/services/cantine/")
    assert other.get_by_role("heading", name="Restauration scolaire").count() == 1
    assert Membership.objects.get(workspace=commune, user__username="conseil").role == "auditor"
    assert Service.objects.filter(workspace=commune).count() == 1
    advisor.close()


def test_filter_choose_columns_save_a_shared_view_and_open_it_again(page, base_url, commune):
    """A custom field filtered on, a column added, the list saved as a shared view; another member opens it."""
    from mue.interchange.importer import import_document

    import_document({"custom_fields": [{"slug": "marche", "name": "Mode de passation", "object_type": "applications",
                                        "kind": "choice", "choices": ["MAPA", "UGAP"]}],
                     "applications": [{"slug": "app-1", "name": "Logiciel 1", "custom": {"marche": "MAPA"}},
                                      {"slug": "app-2", "name": "Logiciel 2", "custom": {"marche": "UGAP"}}]},
                    workspace="bourg")
    _member(commune, "alice", "editor")
    _member(commune, "bob", "viewer")
    log_in(page, base_url, "alice", PASSWORD)
    page.goto(f"{base_url}/w/bourg/applications/?cf_marche=MAPA")
    page.locator("summary", has_text=re.compile("Columns|Colonnes")).click()
    with page.expect_navigation():
        page.get_by_label("Mode de passation", exact=True).last.check()  # the column (the filter is first)
    assert "cf_marche=MAPA" in page.url  # choosing a column kept the filter
    assert page.get_by_role("columnheader", name="Mode de passation").count() == 1
    page.locator("summary", has_text=re.compile("Save this list as a view|Enregistrer cette liste comme vue")).click()
    page.fill("#saved-view-name", "Marchés MAPA")
    page.check('input[name="shared"]')
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^(Save view|Enregistrer la vue)$")).click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Marchés MAPA").get_attribute("aria-current") == "true"
    assert page.locator("tbody tr").count() == 1

    page.context.clear_cookies()
    log_in(page, base_url, "bob", PASSWORD)
    page.goto(f"{base_url}/w/bourg/applications/")
    assert page.locator("tbody tr").count() == 4
    page.get_by_role("link", name="Marchés MAPA").click()
    page.wait_for_load_state()
    assert page.locator("tbody tr").count() == 1 and "Logiciel 1" in page.locator("tbody").inner_text()
    assert page.get_by_role("columnheader", name="Mode de passation").count() == 1
    assert page.get_by_role("button", name=re.compile("Delete|Supprimer")).count() == 0  # not a viewer's to delete
