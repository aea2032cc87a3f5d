"""Saved views of the lists: save, apply, share, replace, delete, who sees and changes which, query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from mue.web.models import SavedView
from mue.web.saved_views import canonical_query

pytestmark = pytest.mark.django_db

LIST = "/w/valmont/applications/"
SAVE = LIST + "views/save/"


def save(client, name: str, query: str, columns=("name", "kind"), shared: bool = False):
    data = {"name": name, "query": query, "columns": list(columns)}
    if shared:
        data["shared"] = "on"
    return client.post(SAVE, data)


def signed_in(client_class, user):
    client = client_class(HTTP_ACCEPT_LANGUAGE="en")  # the source strings, as the suite's client reads them
    client.force_login(user)
    return client


def test_canonical_query_is_stable_and_keeps_only_what_the_list_shows():
    names = ["q", "kind", "status", "cf_budget"]
    one = canonical_query(QueryDict("status=approved&kind=saas&after=xyz&page=last&junk=1&q="), ["name", "kind"],
                          names, 50)
    other = canonical_query(QueryDict("kind=saas&status=approved&sort=name&per_page=50"), ["name", "kind"], names, 50)
    assert one == other == "kind=saas&status=approved&columns=name&columns=kind"
    ranged = canonical_query(QueryDict("cf_budget_min=10&sort=-name&per_page=100"), ["name"], names, 50)
    assert ranged == "cf_budget_min=10&per_page=100&sort=-name&columns=name"


def test_a_member_saves_a_private_view_and_applies_it(valmont, member_factory, client):
    from django.test import Client

    viewer = member_factory(valmont, "viewer")
    client.force_login(viewer)
    response = save(client, "  SaaS   approuvés ", "kind=saas&status=approved&after=abc", ["name", "kind", "vendor"])
    view = SavedView.objects.get()
    assert (view.name, view.shared, view.owner, view.object_type) == ("SaaS approuvés", False, viewer, "applications")
    assert view.query == "kind=saas&status=approved&columns=name&columns=kind&columns=vendor"
    assert response.status_code == 302 and response["Location"] == f"{LIST}?{view.query}"
    page = client.get(response["Location"])
    assert [c.key for c in page.context["columns"]] == ["name", "kind", "vendor"]
    assert {row["obj"].kind for row in page.context["table"]} == {"saas"}
    assert page.context["active_view"].view == view
    assert 'aria-current="true"' in page.content.decode()
    # The filtered list, once changed, is no longer the view.
    assert client.get(f"{LIST}?kind=onprem").context["active_view"] is None
    # Private: another member does not see it, nor may delete it.
    other = signed_in(Client, member_factory(valmont, "owner"))
    assert not other.get(LIST).context["saved_views"]
    assert other.post(f"{LIST}views/{view.pk}/delete/").status_code == 404
    assert SavedView.objects.filter(pk=view.pk).exists()


def test_sharing_asks_for_the_right_to_edit(valmont, member_factory, client):
    from django.test import Client

    viewer = signed_in(Client, member_factory(valmont, "viewer"))
    response = save(viewer, "Partagée", "kind=saas", shared=True)
    assert response.status_code == 302 and not SavedView.objects.exists()
    assert "edit the register" in viewer.get(response["Location"]).content.decode()
    editor = signed_in(Client, member_factory(valmont, "editor", username="claire"))
    save(editor, "Logiciels SaaS", "kind=saas", shared=True)
    view = SavedView.objects.get()
    assert view.shared and view.owner_name == "claire"
    seen = viewer.get(LIST)
    (shown,) = seen.context["saved_views"]
    assert shown.view == view and not shown.mine and not shown.changeable
    assert "shared by claire" in seen.content.decode()
    # A viewer cannot remove it; the editor who shared it and the workspace's owner can.
    viewer.post(f"{LIST}views/{view.pk}/delete/")
    assert SavedView.objects.filter(pk=view.pk).exists()
    admin = signed_in(Client, member_factory(valmont, "owner"))
    assert admin.get(LIST).context["saved_views"][0].changeable
    admin.post(f"{LIST}views/{view.pk}/delete/")
    assert not SavedView.objects.exists()


def test_saving_under_the_same_name_replaces_ones_own_view(valmont, member_factory, client):
    client.force_login(member_factory(valmont, "editor"))
    save(client, "Mes logiciels", "kind=saas")
    response = save(client, "Mes logiciels", "kind=onprem", ["name", "status"])
    view = SavedView.objects.get()
    assert view.query == "kind=onprem&columns=name&columns=status"
    assert "replaced" in client.get(response["Location"]).content.decode()


def test_a_name_is_required_and_bounded(valmont, member_factory, client):
    client.force_login(member_factory(valmont, "editor"))
    for name in ("   ", "x" * 101):
        response = save(client, name, "kind=saas")
        assert response.status_code == 302
    assert not SavedView.objects.exists()


def test_views_are_per_type_and_per_workspace(valmont, member_factory, client):
    from mue.demo import load_demo

    load_demo("atelier")
    user = member_factory(valmont, "owner")
    client.force_login(user)
    save(client, "SaaS", "kind=saas", shared=True)
    assert not client.get("/w/valmont/contracts/").context["saved_views"]
    view = SavedView.objects.get()
    from mue.core.models import Membership, Workspace

    atelier = Workspace.objects.get(slug="atelier")
    Membership.objects.create(workspace=atelier, user=user, role="owner")
    assert not client.get("/w/atelier/applications/").context["saved_views"]
    assert client.post(f"/w/atelier/applications/views/{view.pk}/delete/").status_code == 404
    assert SavedView.objects.filter(pk=view.pk).exists()


def test_a_view_on_a_custom_field_filters_and_shows_its_column(valmont, member_factory, client):
    client.force_login(member_factory(valmont, "owner"))
    response = client.post("/w/valmont/contracts/views/save/", {
        "name": "MAPA", "query": "cf_mode-passation=MAPA", "columns": ["name", "vendor", "custom.mode-passation"]})
    contracts = client.get(response["Location"])
    assert [c.key for c in contracts.context["columns"]] == ["name", "vendor", "custom.mode-passation"]
    rows = contracts.context["table"]
    assert rows and all(row["obj"].custom["mode-passation"] == "MAPA" for row in rows)
    assert contracts.context["active_view"].view.object_type == "contracts"


def test_an_account_gone_leaves_its_shared_views_and_hands_private_ones_to_the_administrators(
        valmont, member_factory, client):
    from django.test import Client

    leaving = signed_in(Client, member_factory(valmont, "editor", username="partant"))
    save(leaving, "Partagée", "kind=saas", shared=True)
    save(leaving, "Privée", "kind=onprem")
    SavedView.objects.get(name="Privée").owner.delete()
    viewer = signed_in(Client, member_factory(valmont, "viewer"))
    assert [s.view.name for s in viewer.get(LIST).context["saved_views"]] == ["Partagée"]
    admin = signed_in(Client, member_factory(valmont, "owner"))
    page = admin.get(LIST)
    assert [(s.view.name, s.changeable) for s in page.context["saved_views"]] == [("Partagée", True), ("Privée", True)]
    assert "account gone" in page.content.decode()


def test_list_queries_do_not_grow_with_the_saved_views(valmont, member_factory, client):
    user = member_factory(valmont, "owner")
    client.force_login(user)

    def count() -> int:
        client.get(LIST)  # warm: session, caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    save(client, "Une", "kind=saas")
    one = count()
    for i in range(6):
        save(client, f"Vue {i}", f"kind=saas&status=approved&q={i}", shared=bool(i % 2))
    assert count() == one
