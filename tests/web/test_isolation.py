"""A member of workspace A reaches nothing of workspace B: every page, export, autocomplete and search
of every registered type answers 404 or shows none of B's objects (generated over the registry)."""

from __future__ import annotations

import pytest

from mue.core.models import Workspace
from mue.core.registry import registry
from mue.web.spec import type_segment

pytestmark = pytest.mark.django_db
TYPES = [t.key for t in registry]


@pytest.fixture
def two_workspaces(valmont, member_factory, client):
    """The member is owner of an empty workspace A; Valmont (B) holds every type."""
    mine = Workspace.objects.create(slug="mine", name="Mine")
    user = member_factory(mine, "owner")
    client.force_login(user)
    return client, mine, valmont


@pytest.mark.parametrize("key", TYPES)
def test_every_url_of_another_workspace_is_a_404(two_workspaces, key):
    client, _mine, other = two_workspaces
    otype = registry[key]
    obj = otype.model.objects.filter(workspace=other).first()
    assert obj is not None, f"the Valmont demo has no {key}: the test needs one"
    base = f"/w/{other.slug}/{type_segment(otype)}/"
    urls = [base, f"{base}add/", f"{base}export.csv", f"{base}export.xlsx", f"{base}autocomplete/?q=a",
            f"{base}{obj.slug}/", f"{base}{obj.slug}/edit/", f"{base}{obj.slug}/delete/",
            f"{base}{obj.slug}/history/", f"/w/{other.slug}/", f"/w/{other.slug}/references/autocomplete/?q=a"]
    for url in urls:
        assert client.get(url).status_code == 404, url
    for url in [f"{base}add/", f"{base}{obj.slug}/edit/", f"{base}{obj.slug}/delete/", f"{base}bulk-edit/",
                f"{base}bulk-delete/"]:
        assert client.post(url, {"pk": [obj.pk], "_confirm": "1", "name": "x"}).status_code == 404, url
    assert otype.model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("key", TYPES)
def test_no_object_of_another_workspace_in_lists_choices_or_search(two_workspaces, key):
    client, mine, other = two_workspaces
    otype = registry[key]
    obj = otype.model.objects.filter(workspace=other).first()
    # The member's own list, filters and autocomplete never offer B's objects.
    page = client.get(f"/w/{mine.slug}/{type_segment(otype)}/?q={obj.slug}")
    assert page.status_code == 200 and page.context["table"] == [] and page.context["total"] == 0
    assert f"/{obj.slug}/" not in page.content.decode()
    found = client.get(f"/w/{mine.slug}/{type_segment(otype)}/autocomplete/?q={obj.slug}").json()
    assert found["results"] == []
    refs = client.get(f"/w/{mine.slug}/references/autocomplete/?q={obj.slug}").json()
    assert refs["results"] == []
    search = client.get(f"/search/?q={obj.name}")
    assert search.status_code == 200 and f"/w/{other.slug}/" not in search.content.decode()
    # A bulk edit posted with B's ids from A's page finds nothing to change.
    response = client.post(f"/w/{mine.slug}/{type_segment(otype)}/bulk-delete/", {"pk": [obj.pk], "_confirm": "1"})
    assert response.status_code == 302 and otype.model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("key", [t.key for t in registry if any(f.kind in ("ref", "refs") for f in t.fields)])
def test_a_reference_filter_refuses_a_slug_of_another_workspace(two_workspaces, key):
    client, mine, other = two_workspaces
    otype = registry[key]
    mf = next(f for f in otype.fields if f.kind in ("ref", "refs"))
    target = registry.by_singular(mf.target).model.objects.filter(workspace=other).first()
    if target is None:
        pytest.skip(f"no {mf.target} in the demo")
    page = client.get(f"/w/{mine.slug}/{type_segment(otype)}/?{mf.field.name}={target.slug}")
    assert page.status_code == 200
    assert target.name not in page.content.decode()


def test_a_superuser_who_is_not_a_member_sees_nothing(valmont, django_user_model, client):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw-123456789")
    client.force_login(admin)
    assert client.get(f"/w/{valmont.slug}/").status_code == 404
    assert client.get(f"/w/{valmont.slug}/applications/").status_code == 404
    assert valmont.name not in client.get("/").content.decode()


def test_a_viewer_reads_but_cannot_write(valmont, member_factory, client):
    from mue.applications.models import Application

    client.force_login(member_factory(valmont, "viewer"))
    app = Application.objects.filter(workspace=valmont).first()
    page = client.get(f"/w/valmont/applications/{app.slug}/")
    assert page.status_code == 200 and f"/w/valmont/applications/{app.slug}/edit/" not in page.content.decode()
    assert client.post(f"/w/valmont/applications/{app.slug}/edit/", {"name": "Forged"}).status_code == 404
    assert client.post(f"/w/valmont/applications/{app.slug}/delete/").status_code == 404
    app.refresh_from_db()
    assert app.name != "Forged"


def test_anonymous_visitors_are_sent_to_the_login_page(valmont, client):
    response = client.get("/w/valmont/applications/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_django_admin_is_for_site_administrators_only(valmont, member_factory, client, django_user_model):
    staff = member_factory(valmont, "owner")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get("/admin/").status_code == 302  # to the admin's login: not for workspace owners
    root = django_user_model.objects.create_superuser("root2", "root2@example.org", "pw-123456789")
    client.force_login(root)
    assert client.get("/admin/").status_code == 200
