"""Comments on register objects: written by those who may, edited and deleted by their author, logged."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mue.applications.models import Application
from mue.comments.models import Comment
from mue.comments.views import render_comments
from mue.core.models import ChangeLogEntry, Membership, Workspace
from mue.core.registry import registry
from mue.web.pages import pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def ws(db):
    return Workspace.objects.create(slug="ws", name="Workspace")


@pytest.fixture
def app(ws):
    return Application.objects.create(workspace=ws, slug="portail", name="Portail", kind="saas")


@pytest.fixture
def member(ws, django_user_model):
    def make(role: str, username: str, workspace=None):
        user = django_user_model.objects.create_user(username, password="pw-123456789")
        Membership.objects.create(workspace=workspace or ws, user=user, role=role)
        return user

    return make


@pytest.fixture
def as_user(client):
    def sign_in(user):
        from mue.accounts.models import profile_of

        profile = profile_of(user)
        profile.language = "en"
        profile.save()
        client.force_login(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return sign_in


def add_url(ws, obj, segment="applications"):
    return reverse("web:comment_add", args=[ws.slug, segment, obj.slug])


def comment_entries():
    return list(ChangeLogEntry.objects.filter(object_type="comment").order_by("id"))


def test_an_editor_adds_a_comment_and_it_is_logged(ws, app, member, as_user):
    client = as_user(member("editor", "eve"))
    response = client.post(add_url(ws, app), {"body": "Contrat à renouveler en juin."})
    assert response.status_code == 302 and "portail" in response["Location"]
    [comment] = Comment.objects.all()
    assert (comment.author_name, comment.body, comment.target_type, comment.target_id) == (
        "eve", "Contrat à renouveler en juin.", "application", app.pk)
    [entry] = comment_entries()
    assert (entry.action, entry.object_id, entry.object_slug, entry.actor_name) == (
        "create", comment.pk, "application:portail", "eve")
    assert entry.before is None and entry.after == {"body": "Contrat à renouveler en juin."}
    assert entry.workspace_id == ws.pk


def test_with_htmx_the_list_comes_back_in_place(ws, app, member, as_user):
    client = as_user(member("editor", "eve"))
    response = client.post(add_url(ws, app), {"body": "Vu en réunion."}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="mue-comments"' in html and "Vu en réunion." in html and "<html" not in html


def test_an_empty_comment_is_refused_with_a_message(ws, app, member, as_user):
    client = as_user(member("editor", "eve"))
    response = client.post(add_url(ws, app), {"body": "   "}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    response = client.post(add_url(ws, app), {"body": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not Comment.objects.exists() and not comment_entries()


def test_an_auditor_comments_without_editing_rights(ws, app, member, as_user):
    client = as_user(member("auditor", "conseil"))
    assert client.post(add_url(ws, app), {"body": "Pas de MFA."}).status_code == 302
    assert Comment.objects.get().author_name == "conseil"


def test_a_viewer_reads_but_cannot_post(ws, app, member, as_user, rf):
    writer = member("editor", "eve")
    viewer = member("viewer", "victor")
    as_user(writer).post(add_url(ws, app), {"body": "Premier."})
    client = as_user(viewer)
    response = client.post(add_url(ws, app), {"body": "Moi aussi."})
    assert response.status_code == 404
    assert Comment.objects.count() == 1 and len(comment_entries()) == 1
    request = rf.get("/")
    request.user = viewer
    html = render_comments(request, ws, app, registry.by_singular("application"))
    assert "Premier." in html and "<textarea" not in html and "Edit" not in html


def test_the_author_edits_and_it_is_logged(ws, app, member, as_user):
    client = as_user(member("editor", "eve"))
    client.post(add_url(ws, app), {"body": "Avant."})
    comment = Comment.objects.get()
    url = reverse("web:comment_edit", args=[ws.slug, comment.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Avant." in page.content.decode()
    inline = client.get(url, HTTP_HX_REQUEST="true")
    assert f'id="comment-{comment.pk}"' in inline.content.decode() and "<html" not in inline.content.decode()
    assert client.post(url, {"body": "Après."}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Après." and comment.edited is not None
    entry = comment_entries()[-1]
    assert (entry.action, entry.before, entry.after) == ("update", {"body": "Avant."}, {"body": "Après."})
    # the same text again changes nothing and logs nothing
    client.post(url, {"body": "Après."}, HTTP_HX_REQUEST="true")
    assert len(comment_entries()) == 2


def test_a_refused_edit_with_htmx_comes_back_in_place_of_the_comment(ws, app, member, as_user):
    client = as_user(member("editor", "eve"))
    client.post(add_url(ws, app), {"body": "Texte."})
    comment = Comment.objects.get()
    response = client.post(reverse("web:comment_edit", args=[ws.slug, comment.pk]), {"body": ""},
                           HTTP_HX_REQUEST="true")
    assert response["HX-Retarget"] == f"#comment-{comment.pk}"
    comment.refresh_from_db()
    assert comment.body == "Texte."


def test_the_author_deletes_after_confirming_and_it_is_logged(ws, app, member, as_user):
    client = as_user(member("editor", "eve"))
    client.post(add_url(ws, app), {"body": "À effacer."})
    comment = Comment.objects.get()
    url = reverse("web:comment_delete", args=[ws.slug, comment.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Delete this comment?" in confirm.content.decode()
    assert Comment.objects.exists()  # asking is not deleting
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "No comment yet" in response.content.decode()
    assert not Comment.objects.exists()
    entry = comment_entries()[-1]
    assert (entry.action, entry.before, entry.after, entry.object_slug) == (
        "delete", {"body": "À effacer."}, None, "application:portail")


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_member_and_a_non_member_get_404(ws, app, member, as_user, method, django_user_model):
    as_user(member("editor", "eve")).post(add_url(ws, app), {"body": "À moi."})
    comment = Comment.objects.get()
    other_editor = member("owner", "olivia")
    outsider_ws = Workspace.objects.create(slug="elsewhere", name="Elsewhere")
    outsider = member("owner", "otto", workspace=outsider_ws)
    for user in (other_editor, outsider):
        client = as_user(user)
        for name in ("web:comment_edit", "web:comment_delete"):
            response = getattr(client, method)(reverse(name, args=[ws.slug, comment.pk]), {"body": "Pris."})
            assert response.status_code == 404, (user, name)
            # nor through their own workspace
            if user is outsider:
                response = getattr(client, method)(reverse(name, args=[outsider_ws.slug, comment.pk]), {"body": "x"})
                assert response.status_code == 404
    assert client.post(add_url(ws, app), {"body": "Intrus."}).status_code == 404
    comment.refresh_from_db()
    assert comment.body == "À moi." and len(comment_entries()) == 1


def test_an_object_of_another_workspace_cannot_be_commented(ws, member, as_user):
    other = Workspace.objects.create(slug="other", name="Other")
    theirs = Application.objects.create(workspace=other, slug="theirs", name="Theirs", kind="saas")
    client = as_user(member("editor", "eve"))
    url = reverse("web:comment_add", args=[ws.slug, "applications", theirs.slug])
    assert client.post(url, {"body": "x"}).status_code == 404
    assert client.post(add_url(ws, theirs).replace("portail", "x").replace("applications", "nope"),
                       {"body": "x"}).status_code == 404
    assert not Comment.objects.exists()


def test_a_deleted_object_takes_its_comments_with_it(ws, app, member, as_user):
    client = as_user(member("editor", "eve"))
    client.post(add_url(ws, app), {"body": "Un."})
    client.post(add_url(ws, app), {"body": "Deux."})
    kept = Application.objects.create(workspace=ws, slug="kept", name="Kept", kind="saas")
    client.post(add_url(ws, kept), {"body": "Reste."})
    app.delete()
    assert list(Comment.objects.values_list("body", flat=True)) == ["Reste."]
    deleted = [e.before["body"] for e in comment_entries() if e.action == "delete"]
    assert sorted(deleted) == ["Deux.", "Un."]


def test_a_deleted_workspace_takes_its_comments_without_logging_them(ws, app, member, as_user):
    as_user(member("editor", "eve")).post(add_url(ws, app), {"body": "Un."})
    ws.delete()
    assert not Comment.objects.exists() and not ChangeLogEntry.objects.exists()


def test_comments_show_in_the_objects_history(ws, app, member, as_user):
    client = as_user(member("editor", "eve"))
    client.post(add_url(ws, app), {"body": "Noté."})
    response = client.get(reverse("web:object_history", args=[ws.slug, "applications", "portail"]))
    rows = response.context["rows"]
    comment_row = next(r for r in rows if r.entry.object_type == "comment")
    assert comment_row.type_label == "comment" and comment_row.changes[0].after.text == "Noté."
    everything = client.get(reverse("web:workspace_history", args=[ws.slug]), {"type": "comment"})
    [row] = everything.context["rows"]
    assert "Portail" in row.obj.text and row.obj.url and "portail" in row.obj.url


def test_comments_are_a_tab_of_every_type(ws, app, member, rf):
    for otype in registry:
        assert "comments" in [tab.key for tab in pages.tabs_for(otype.singular)]
    request = rf.get("/")
    request.user = member("editor", "eve")
    html = render_comments(request, ws, app, registry.by_singular("application"))
    assert "<textarea" in html and add_url(ws, app) in html and 'for="id_body"' in html


def test_a_comment_outlives_its_authors_account(ws, app, member, as_user):
    author = member("editor", "eve")
    as_user(author).post(add_url(ws, app), {"body": "Toujours là."})
    author.delete()
    comment = Comment.objects.get()
    assert comment.author is None and comment.author_name == "eve"


def test_a_member_no_longer_allowed_to_comment_cannot_edit_their_comment(ws, app, member, as_user):
    author = member("editor", "eve")
    client = as_user(author)
    client.post(add_url(ws, app), {"body": "Avant."})
    Membership.objects.filter(user=author).update(role="viewer")
    comment = Comment.objects.get()
    assert client.post(reverse("web:comment_edit", args=[ws.slug, comment.pk]), {"body": "x"}).status_code == 404
    assert client.post(reverse("web:comment_delete", args=[ws.slug, comment.pk])).status_code == 404
    assert Comment.objects.get().body == "Avant."
