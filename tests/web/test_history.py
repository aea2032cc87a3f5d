"""History pages: the change log in words, per object and per workspace, with a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mue.applications.models import Application
from mue.core.changelog import change_context
from mue.core.models import ChangeLogEntry, Membership, Workspace
from mue.dataflows.models import DataCategory
from mue.documents.models import Document, DocumentLink
from mue.vendors.models import ExternalParty
from mue.web.history import build_rows, render_object_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def ws(db):
    return Workspace.objects.create(slug="ws", name="Workspace")


@pytest.fixture
def other(db):
    return Workspace.objects.create(slug="other", name="Other")


@pytest.fixture
def member(ws, django_user_model):
    user = django_user_model.objects.create_user("marie", password="pw-123456789", first_name="Marie",
                                                 last_name="Curie")
    Membership.objects.create(workspace=ws, user=user, role="viewer")
    set_preferences(user, language="en")
    return user


def set_preferences(user, **values) -> None:
    """The user's profile language and time zone (the pages follow them)."""
    from mue.accounts.models import profile_of

    profile = profile_of(user)
    for name, value in values.items():
        setattr(profile, name, value)
    profile.save()


@pytest.fixture
def signed_in(client, member):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(member)
    return client


def _object_history(client, obj, segment="applications"):
    return client.get(reverse("web:object_history", args=[obj.workspace.slug, segment, obj.slug]))


def _text(response) -> str:
    """The page's visible words, tags removed and spaces collapsed."""
    html = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", response.content.decode())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" ,", ",")


def test_an_update_shows_the_field_label_and_the_choice_labels(signed_in, ws):
    app = Application.objects.create(workspace=ws, slug="a", name="Portail", kind="on-premises")
    app.status = "shadow"
    app.sso = True
    app.save()
    response = _object_history(signed_in, app)
    assert response.status_code == 200
    text = _text(response)
    assert "Status" in text and "Approved → Shadow IT" in text
    assert "Single sign-on" in text and "(empty) → Yes" in text
    assert "On premises" in text  # the create entry, in words
    assert "on-premises" not in text and ">shadow<" not in response.content.decode()
    assert 'class="mue-before"' in response.content.decode() and 'class="mue-after"' in response.content.decode()


def test_many_to_many_additions_and_removals_show_names(signed_in, ws):
    app = Application.objects.create(workspace=ws, slug="a", name="Portail", kind="saas")
    b = Application.objects.create(workspace=ws, slug="b", name="Billetterie", kind="saas")
    c = Application.objects.create(workspace=ws, slug="c", name="Cantine", kind="saas")
    app.depends_on.add(b, c)
    app.depends_on.remove(b)
    text = _text(_object_history(signed_in, app))
    assert "Depends on added: Billetterie, Cantine" in text
    assert "Depends on removed: Billetterie" in text


def test_a_foreign_key_change_shows_the_names_with_links(signed_in, ws):
    v1 = ExternalParty.objects.create(workspace=ws, slug="v1", name="Berger-Levrault")
    v2 = ExternalParty.objects.create(workspace=ws, slug="v2", name="Ciril")
    app = Application.objects.create(workspace=ws, slug="a", name="Portail", kind="saas", vendor=v1)
    app.vendor = v2
    app.save()
    rows = build_rows(list(ChangeLogEntry.objects.filter(object_type="application", action="update")), ws)
    [change] = rows[0].changes
    assert (change.label, change.before.text, change.after.text) == ("Vendor", "Berger-Levrault", "Ciril")
    assert "Vendor Berger-Levrault → Ciril" in _text(_object_history(signed_in, app))


def test_a_deleted_target_shows_its_slug(signed_in, ws):
    vendor = ExternalParty.objects.create(workspace=ws, slug="gone-vendor", name="Gone")
    app = Application.objects.create(workspace=ws, slug="a", name="Portail", kind="saas", vendor=vendor)
    vendor.delete()
    [row] = build_rows(list(ChangeLogEntry.objects.filter(object_type="application")), ws)
    vendor_change = next(c for c in row.changes if c.label == "Vendor")
    assert vendor_change.after.gone and "gone-vendor" in vendor_change.after.text
    # the deleted object itself: its slug, no link
    text = _text(signed_in.get(reverse("web:workspace_history", args=[ws.slug]) + "?action=delete"))
    assert "gone-vendor" in text
    assert app.pk


def test_document_links_show_the_objects_they_are_about(signed_in, ws):
    app = Application.objects.create(workspace=ws, slug="a", name="Portail", kind="saas")
    doc = Document.objects.create(workspace=ws, slug="pra", name="Plan de reprise", kind="backup-restore")
    DocumentLink.objects.create(document=doc, target_type="application", target_id=app.pk)
    text = _text(_object_history(signed_in, doc, "documents"))
    assert "About added: application Portail" in text


def test_workspace_history_filters_by_type_and_by_actor(signed_in, ws):
    with change_context("alice", "web"):
        Application.objects.create(workspace=ws, slug="by-alice", name="A", kind="saas")
    with change_context("bob", "web"):
        DataCategory.objects.create(workspace=ws, slug="by-bob", name="B")
    url = reverse("web:workspace_history", args=[ws.slug])
    apps_only = signed_in.get(url, {"type": "application"})
    assert [r.entry.object_slug for r in apps_only.context["rows"]] == ["by-alice"]
    bob = signed_in.get(url, {"actor": "bob"})
    assert [r.entry.object_slug for r in bob.context["rows"]] == ["by-bob"]
    slug = signed_in.get(url, {"q": "alice"})
    assert [r.entry.object_slug for r in slug.context["rows"]] == ["by-alice"]
    none = signed_in.get(url, {"type": "application", "actor": "bob"})
    assert none.context["rows"] == [] and "No change matches these filters." in _text(none)


def test_workspace_history_filters_by_date_in_the_users_time_zone(signed_in, ws, member):
    Application.objects.create(workspace=ws, slug="old", name="Old", kind="saas")
    Application.objects.create(workspace=ws, slug="new", name="New", kind="saas")
    paris = dt.timezone(dt.timedelta(hours=1))
    # 23:30 in Paris on 10 January is still the 10th there (22:30 UTC)
    ChangeLogEntry.objects.filter(object_slug="old").update(time=dt.datetime(2026, 1, 10, 23, 30, tzinfo=paris))
    ChangeLogEntry.objects.filter(object_slug="new").update(time=dt.datetime(2026, 1, 11, 0, 30, tzinfo=paris))
    url = reverse("web:workspace_history", args=[ws.slug])
    set_preferences(member, time_zone="Europe/Paris")
    tenth = signed_in.get(url, {"date_from": "2026-01-10", "date_to": "2026-01-10"})
    later = signed_in.get(url, {"date_from": "2026-01-11"})
    assert [r.entry.object_slug for r in tenth.context["rows"]] == ["old"]
    assert [r.entry.object_slug for r in later.context["rows"]] == ["new"]


def test_pages_by_keyset_newest_first(signed_in, ws):
    for i in range(120):
        Application.objects.create(workspace=ws, slug=f"app-{i:03d}", name=f"App {i}", kind="saas")
    ChangeLogEntry.objects.update(time=timezone.now())  # equal times: the id breaks the tie
    url = reverse("web:workspace_history", args=[ws.slug])
    first = signed_in.get(url, {"type": "application"})
    slugs = [r.entry.object_slug for r in first.context["rows"]]
    assert slugs[0] == "app-119" and len(slugs) == 50 and first.context["page"].newer is None
    second = signed_in.get(f"{url}?{first.context['page'].older}")
    assert [r.entry.object_slug for r in second.context["rows"]][0] == "app-069"
    assert "type=application" in first.context["page"].older  # the filters follow the pages
    third = signed_in.get(f"{url}?{second.context['page'].older}")
    assert len(third.context["rows"]) == 20 and third.context["page"].older is None
    back = signed_in.get(f"{url}?{second.context['page'].newer}")
    assert [r.entry.object_slug for r in back.context["rows"]] == slugs
    assert back.context["page"].newer is None


def _make_entries(ws, n: int) -> None:
    """``n`` entries of several shapes: a foreign key, a many-to-many, a document's links."""
    vendor = ExternalParty.objects.create(workspace=ws, slug=f"v-{n}", name="Vendor")
    data = DataCategory.objects.create(workspace=ws, slug=f"d-{n}", name="Data")
    doc = Document.objects.create(workspace=ws, slug=f"doc-{n}", name="Doc", kind="backup-restore")
    while ChangeLogEntry.objects.filter(workspace=ws).count() < n:
        app = Application.objects.create(workspace=ws, slug=f"a-{n}-{ChangeLogEntry.objects.count()}",
                                         name="App", kind="saas", vendor=vendor)
        app.data.add(data)
        DocumentLink.objects.create(document=doc, target_type="application", target_id=app.pk)


@pytest.mark.parametrize("n", [10, 100])
def test_query_count_does_not_depend_on_the_number_of_entries(ws, n, signed_in, django_assert_num_queries):
    _make_entries(ws, n)
    entries = list(ChangeLogEntry.objects.filter(workspace=ws).select_related("actor")[:n])
    assert len(entries) == n
    # application, data category, document, vendor: one query for the four types, whatever the number of entries
    with django_assert_num_queries(1):
        rows = build_rows(entries, ws)
    assert any(c.is_set and c.added for r in rows for c in r.changes)


def test_query_count_of_the_pages_is_the_same_for_10_and_100_entries(signed_in, member, django_user_model):
    counts = []
    for n in (10, 100):
        ws = Workspace.objects.create(slug=f"ws-{n}", name="W")
        Membership.objects.create(workspace=ws, user=member, role="viewer")
        _make_entries(ws, n)
        app = Application.objects.filter(workspace=ws).first()
        for url in (reverse("web:workspace_history", args=[ws.slug]),
                    reverse("web:object_history", args=[ws.slug, "applications", app.slug])):
            with CaptureQueriesContext(connection) as ctx:
                assert signed_in.get(url).status_code == 200
            counts.append((url.split("/")[-2], len(ctx.captured_queries)))
    assert counts[:2] == counts[2:]


def test_the_actor_is_shown_by_name_and_the_time_in_the_users_zone(signed_in, ws, member):
    with change_context(member.get_username(), "web", actor_id=member.pk):
        Application.objects.create(workspace=ws, slug="a", name="Portail", kind="saas")
    ChangeLogEntry.objects.update(time=dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC))
    set_preferences(member, time_zone="Asia/Tokyo")
    text = _text(signed_in.get(reverse("web:workspace_history", args=[ws.slug])))
    assert "Marie Curie" in text
    assert "9 p.m." in text or "21:00" in text  # noon UTC is 9 p.m. in Tokyo


def test_render_object_history_for_the_detail_page(rf, ws, member):
    app = Application.objects.create(workspace=ws, slug="a", name="Portail", kind="saas")
    for status in ("tolerated", "shadow", "banned"):
        app.status = status
        app.save()
    request = rf.get("/")
    request.user = member
    html = render_object_history(request, ws, app, app_type(), limit=2)
    html = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", html)
    assert "Shadow IT → Banned" in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert html.count('<li class="list-group-item">') == 2
    assert "Approved" not in html  # older than the last two


def app_type():
    from mue.core.registry import registry

    return registry.by_singular("application")


def test_other_workspaces_and_unknown_objects_answer_404(signed_in, ws, other):
    theirs = Application.objects.create(workspace=other, slug="theirs", name="Theirs", kind="saas")
    assert signed_in.get(reverse("web:workspace_history", args=[other.slug])).status_code == 404
    assert _object_history(signed_in, theirs).status_code == 404
    # their object addressed through my workspace: not found either
    assert signed_in.get(reverse("web:object_history", args=[ws.slug, "applications", "theirs"])).status_code == 404
    assert signed_in.get(reverse("web:object_history", args=[ws.slug, "no-such-type", "x"])).status_code == 404


def test_entries_of_another_workspace_never_show(signed_in, ws, other):
    Application.objects.create(workspace=other, slug="secret", name="Secret", kind="saas")
    response = signed_in.get(reverse("web:workspace_history", args=[ws.slug]))
    assert response.context["rows"] == [] and "secret" not in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client, ws):
    response = client.get(reverse("web:workspace_history", args=[ws.slug]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_history_is_in_the_navigation(signed_in, ws):
    response = signed_in.get(reverse("web:workspace_history", args=[ws.slug]))
    assert reverse("web:workspace_history", args=[ws.slug]) in response.content.decode()
    labels = [link.label for section in response.context["nav_sections"] for link in section.links]
    assert "History" in [str(label) for label in labels]

