"""Signing in: user name or email, one message for every failure, throttling by django-axes."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user
from django.contrib.auth.hashers import MD5PasswordHasher
from django.http import HttpRequest
from django.urls import reverse

from tests.accounts.conftest import PASSWORD

LOGIN = "/accounts/login/"


def _error(response) -> str:
    return " ".join(response.context["form"].non_field_errors())


def test_login_with_user_name(client, make_user):
    make_user("alice", "alice@example.org")
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("web:home")
    assert get_user(client).get_username() == "alice"


def test_login_with_email_any_case(client, make_user):
    make_user("alice", "alice@example.org")
    response = client.post(LOGIN, {"username": "Alice@Example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert get_user(client).get_username() == "alice"


def test_wrong_password_and_unknown_user_give_the_same_message(client, make_user):
    make_user("alice", "alice@example.org")
    wrong = client.post(LOGIN, {"username": "alice", "password": "nope-nope-nope"})
    unknown = client.post(LOGIN, {"username": "nobody", "password": "nope-nope-nope"})
    unknown_email = client.post(LOGIN, {"username": "nobody@example.org", "password": "nope-nope-nope"})
    assert wrong.status_code == unknown.status_code == unknown_email.status_code == 200
    assert _error(wrong) == _error(unknown) == _error(unknown_email)
    assert "not right" in _error(wrong)
    assert not get_user(client).is_authenticated


def test_inactive_account_gets_the_same_message(client, make_user):
    make_user("bob", is_active=False)
    response = client.post(LOGIN, {"username": "bob", "password": PASSWORD})
    assert response.status_code == 200 and "not right" in _error(response)


def test_an_email_shared_by_two_accounts_signs_in_neither(client, make_user):
    make_user("a1", "shared@example.org")
    make_user("a2", "shared@example.org")
    response = client.post(LOGIN, {"username": "shared@example.org", "password": PASSWORD})
    assert response.status_code == 200 and not get_user(client).is_authenticated


class CountingHasher(MD5PasswordHasher):
    """A real (fast) hasher that counts how often a password is hashed."""

    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.mark.parametrize("identifier", ["nobody", "nobody@example.org", "alice", "alice@example.org"])
def test_every_failure_costs_one_password_hash(client, make_user, settings, identifier):
    """An unknown account costs the same hashing as a wrong password: the time tells nothing."""
    settings.PASSWORD_HASHERS = ["tests.accounts.test_login.CountingHasher"]
    make_user("alice", "alice@example.org")
    CountingHasher.calls = 0
    client.post(LOGIN, {"username": identifier, "password": "wrong-password-1"})
    assert CountingHasher.calls == 1


def test_lock_out_after_five_failures(client, make_user):
    make_user("alice", "alice@example.org")
    for _attempt in range(4):
        assert client.post(LOGIN, {"username": "alice", "password": "wrong"}).status_code == 200
    locked = client.post(LOGIN, {"username": "alice", "password": "wrong"})
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.content.decode()
    # Even the right password is refused during the cool-off, with the same page (never a 500).
    again = client.post(LOGIN, {"username": "ALICE ", "password": PASSWORD})
    assert again.status_code == 429 and "15 minutes" in again.content.decode()
    assert not get_user(client).is_authenticated


def test_lock_out_is_per_identifier(client, make_user):
    make_user("alice")
    make_user("bruno")
    for _attempt in range(5):
        client.post(LOGIN, {"username": "alice", "password": "wrong"})
    assert client.post(LOGIN, {"username": "bruno", "password": PASSWORD}).status_code == 302


def test_lock_out_page_is_translated(client, make_user):
    for _attempt in range(5):
        response = client.post(LOGIN, {"username": "zoe", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 429
    assert response["Content-Language"] == "fr"


def test_logout_is_a_post(client, make_user):
    client.force_login(make_user("alice"))
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert not get_user(client).is_authenticated


def test_test_client_login_needs_a_request_with_axes(client, make_user):
    """``client.force_login`` works as usual; ``client.login`` must pass ``request=`` (axes needs it)."""
    from axes.exceptions import AxesBackendRequestParameterRequired

    make_user("alice")
    with pytest.raises(AxesBackendRequestParameterRequired):
        client.login(username="alice", password=PASSWORD)
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    assert client.login(request=request, username="alice", password=PASSWORD)


def test_signed_in_user_skips_the_login_page(client, make_user):
    client.force_login(make_user("alice"))
    assert client.get(LOGIN).status_code == 302
