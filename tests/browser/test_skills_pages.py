"""The skills pages in Chromium: the heat map drawn by charts.js (no inline script), the bus factors,
a person filling in their own levels; axe-core finds nothing serious."""

from __future__ import annotations

import pytest

from tests.browser.helpers import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-skills-123456"


@pytest.fixture
def julien(db):
    """Julien Moreau, the commune's IT technician, a viewer of Valmont signing in with his own email."""
    from django.contrib.auth import get_user_model

    from mue.core.models import Membership, Workspace
    from mue.demo import load_demo

    load_demo("valmont")
    user = get_user_model().objects.create_user("julien", "julien.moreau@mairie-valmont.fr", PASSWORD)
    Membership.objects.create(workspace=Workspace.objects.get(slug="valmont"), user=user, role="viewer")
    return "julien", PASSWORD


def test_heat_map_and_own_assessment(page, base_url, julien):
    log_in(page, base_url, *julien, next_path="/w/valmont/skills/")
    chart = page.locator('[data-mue-chart="skills-heatmap"]')
    chart.locator("canvas").first.wait_for()
    assert chart.bounding_box()["height"] >= 220
    backup = page.locator("tr", has_text="Sauvegarde")
    assert "Thomas Garnier" in backup.inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Assess my skills").click()
    page.wait_for_url("**/skills/assess/julien-moreau/")
    assert page.get_by_label("5.1 Solving technical problems").input_value() == "4"
    page.get_by_label("5.1 Solving technical problems").select_option("5")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Save the levels").click()
    assert "Levels saved: 1 set, 0 cleared." in page.content()

    from mue.skills.models import Assessment

    assert Assessment.objects.get(person__slug="julien-moreau", competence="5.1").level == 5
