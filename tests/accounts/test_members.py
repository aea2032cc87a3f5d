"""A workspace's members page: owners invite, change roles and remove; everyone else is refused."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user
from django.core import mail

from mue.accounts.models import Invitation, hash_token
from mue.core.models import ChangeLogEntry, Membership, Workspace
from tests.accounts.conftest import PASSWORD


def members_url(ws, suffix: str = "") -> str:
    return f"/w/{ws.slug}/members/{suffix}"


def _invite(client, ws, email="advisor@cabinet.example", role="auditor", **extra) -> str:
    response = client.post(members_url(ws, "invite/"), {"email": email, "role": role, **extra})
    assert response.status_code == 302, response.content.decode()[:2000]
    body = mail.outbox[-1].body
    return re.search(r"http://testserver(/accounts/invitation/[\w-]+/)", body).group(1)


def test_every_member_sees_the_list_owners_see_the_forms(client, workspace, owner, make_user):
    viewer = make_user("victor", workspace=workspace, role="viewer")
    client.force_login(viewer)
    page = client.get(members_url(workspace))
    assert page.status_code == 200
    html = page.content.decode()
    assert "olivia" in html and "Owner" in html and "Invite by email" not in html
    client.force_login(owner)
    html = client.get(members_url(workspace)).content.decode()
    assert "Invite by email" in html and "data-mue-confirm" in html
    assert '<option value="auditor">Auditor</option>' in html  # translated labels, not raw keys


def test_owner_invites_an_auditor_who_signs_up_and_reads(client, workspace, owner):
    client.force_login(owner)
    link = _invite(client, workspace)
    assert mail.outbox[-1].to == ["advisor@cabinet.example"]
    token = link.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hash_token(token) and token not in invitation.token_hash
    assert (invitation.expires - invitation.created).days == 14
    assert "advisor@cabinet.example" in client.get(members_url(workspace)).content.decode()  # pending

    client.post("/accounts/logout/")
    signup = client.get(link)
    assert signup.status_code == 200 and "Create my account" in signup.content.decode()
    response = client.post(link, {"username": "conseil2", "password1": "advisor-secret-77",
                                  "password2": "advisor-secret-77"})
    assert response.status_code == 302 and response.url == f"/w/{workspace.slug}/"
    user = get_user(client)
    assert user.get_username() == "conseil2" and user.email == "advisor@cabinet.example"
    assert Membership.objects.get(user=user, workspace=workspace).role == "auditor"
    assert client.get(f"/w/{workspace.slug}/").status_code == 200
    # The link is used up.
    assert client.get(link).status_code == 404
    entry = ChangeLogEntry.objects.get(object_type="membership", object_slug="conseil2")
    assert entry.workspace_id == workspace.pk and entry.after["role"] == "auditor"


def test_an_existing_user_accepts_while_signed_in(client, workspace, owner, make_user):
    client.force_login(owner)
    link = _invite(client, workspace, email="bruno@example.org", role="editor")
    bruno = make_user("bruno", "bruno@example.org")
    client.force_login(bruno)
    assert client.get(f"/w/{workspace.slug}/").status_code == 404
    assert "Accept the invitation" in client.get(link).content.decode()
    assert client.post(link).status_code == 302
    assert Membership.objects.get(user=bruno, workspace=workspace).role == "editor"
    assert client.get(f"/w/{workspace.slug}/").status_code == 200


def test_signed_out_invitee_may_sign_in_first(client, workspace, owner, make_user):
    client.force_login(owner)
    link = _invite(client, workspace, email="bruno@example.org")
    make_user("bruno", "bruno@example.org")
    client.post("/accounts/logout/")
    page = client.get(link).content.decode()
    assert f"/accounts/login/?next={link}" in page
    response = client.post("/accounts/login/", {"username": "bruno", "password": PASSWORD, "next": link})
    assert response.status_code == 302 and response.url == link


def test_revoked_or_unknown_invitation_links_answer_404(client, workspace, owner):
    client.force_login(owner)
    link = _invite(client, workspace)
    invitation = Invitation.objects.get()
    response = client.post(members_url(workspace, f"invitations/{invitation.pk}/revoke/"))
    assert response.status_code == 302
    client.post("/accounts/logout/")
    assert client.get(link).status_code == 404
    assert "not valid" in client.get("/accounts/invitation/not-a-token/").content.decode()


def test_owner_creates_an_account_directly(client, workspace, owner):
    client.force_login(owner)
    response = client.post(members_url(workspace, "create/"), {"username": "elise", "email": "elise@example.org",
                                                              "role": "editor"})
    assert response.status_code == 200 and "no-store" in response.get("Cache-Control", "")
    password = response.context["password"]
    assert password in response.content.decode()
    client.post("/accounts/logout/")
    assert client.post("/accounts/login/", {"username": "elise", "password": password}).status_code == 302
    assert client.get(f"/w/{workspace.slug}/").status_code == 200


def test_taken_user_name_is_refused(client, workspace, owner):
    client.force_login(owner)
    response = client.post(members_url(workspace, "create/"), {"username": "OLIVIA", "role": "viewer"})
    assert response.status_code == 400 and "already taken" in response.content.decode()


def test_owner_changes_a_role_and_removes_the_advisor(client, workspace, owner, make_user):
    advisor = make_user("conseil", workspace=workspace, role="auditor")
    membership = Membership.objects.get(user=advisor)
    client.force_login(owner)
    client.post(members_url(workspace, f"{membership.pk}/role/"), {"role": "auditor", "can_edit": "on"})
    membership.refresh_from_db()
    assert membership.can_edit
    entry = ChangeLogEntry.objects.get(object_type="membership", action="update")
    assert entry.before == {"role": "auditor", "can_edit": False} and entry.after["can_edit"] is True
    assert entry.actor_name == "olivia"
    client.post(members_url(workspace, f"{membership.pk}/remove/"))
    assert not Membership.objects.filter(user=advisor).exists()
    assert ChangeLogEntry.objects.filter(object_type="membership", action="delete", object_slug="conseil").exists()


def test_the_last_owner_can_be_neither_removed_nor_demoted(client, workspace, owner):
    membership = Membership.objects.get(user=owner)
    client.force_login(owner)
    response = client.post(members_url(workspace, f"{membership.pk}/remove/"), follow=True)
    assert "last owner" in response.content.decode()
    response = client.post(members_url(workspace, f"{membership.pk}/role/"), {"role": "viewer"}, follow=True)
    assert "last owner" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "owner"


def test_a_second_owner_makes_removal_possible(client, workspace, owner, make_user):
    make_user("second", workspace=workspace, role="owner")
    client.force_login(owner)
    client.post(members_url(workspace, f"{Membership.objects.get(user=owner).pk}/remove/"))
    assert not Membership.objects.filter(user=owner).exists()


@pytest.mark.parametrize("role", ["editor", "auditor", "viewer"])
def test_non_owners_get_404_on_the_admin_actions(client, workspace, owner, make_user, role):
    member = make_user("mallory", workspace=workspace, role=role, can_edit=role == "auditor")
    client.force_login(member)
    target = Membership.objects.get(user=owner)
    for suffix, data in [("invite/", {"email": "x@example.org", "role": "owner"}),
                         ("create/", {"username": "evil", "role": "owner"}),
                         (f"{target.pk}/role/", {"role": "viewer"}),
                         (f"{target.pk}/remove/", {})]:
        assert client.get(members_url(workspace, suffix)).status_code == 404
        assert client.post(members_url(workspace, suffix), data).status_code == 404
    # A forged POST changed nothing.
    target.refresh_from_db()
    assert target.role == "owner"
    assert not Invitation.objects.exists() and not Membership.objects.filter(user__username="evil").exists()
    assert Membership.objects.get(user=member).role == role


def test_an_owner_cannot_touch_another_workspaces_members(client, workspace, owner, make_user):
    other = Workspace.objects.create(slug="other", name="Other")
    victim = make_user("victim", workspace=other, role="owner")
    client.force_login(owner)
    pk = Membership.objects.get(user=victim).pk
    assert client.post(members_url(workspace, f"{pk}/remove/")).status_code == 404
    assert client.get(members_url(other)).status_code == 404


def test_non_members_and_superusers_without_membership_get_404(client, workspace, owner, make_user):
    client.force_login(make_user("stranger"))
    assert client.get(f"/w/{workspace.slug}/").status_code == 404
    assert client.get(members_url(workspace)).status_code == 404
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    assert client.get(f"/w/{workspace.slug}/").status_code == 404
    assert client.get(members_url(workspace)).status_code == 404


def test_members_link_in_the_navigation(client, workspace, owner):
    client.force_login(owner)
    html = client.get(f"/w/{workspace.slug}/").content.decode()
    assert f'href="/w/{workspace.slug}/members/"' in html
