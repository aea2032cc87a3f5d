"""Password change and reset by email (Django's views, the product's pages, no account enumeration)."""

from __future__ import annotations

import re

from django.contrib.auth import get_user
from django.core import mail

from tests.accounts.conftest import PASSWORD

RESET = "/accounts/password-reset/"


def test_reset_mails_a_link_that_sets_a_new_password(client, make_user):
    make_user("alice", "alice@example.org")
    response = client.post(RESET, {"email": "alice@example.org"})
    assert response.status_code == 302 and response.url == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": "a-brand-new-secret-7",
                                                          "new_password2": "a-brand-new-secret-7"})
    assert done.status_code == 302 and done.url == "/accounts/reset/done/"
    login = client.post("/accounts/login/", {"username": "alice", "password": "a-brand-new-secret-7"})
    assert login.status_code == 302


def test_reset_answers_the_same_for_an_unknown_address(client, make_user):
    make_user("alice", "alice@example.org")
    known = client.post(RESET, {"email": "alice@example.org"}, follow=True)
    unknown = client.post(RESET, {"email": "nobody@example.org"}, follow=True)
    assert len(mail.outbox) == 1
    assert known.redirect_chain == unknown.redirect_chain
    assert known.content == unknown.content
    assert "If an account exists for this address" in unknown.content.decode()


def test_a_used_reset_link_is_refused(client, make_user):
    make_user("alice", "alice@example.org")
    client.post(RESET, {"email": "alice@example.org"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True)
    client.post(page.redirect_chain[-1][0], {"new_password1": "a-brand-new-secret-7",
                                             "new_password2": "a-brand-new-secret-7"})
    again = client.get(link, follow=True)
    assert not again.context["validlink"]
    assert "no longer valid" in again.content.decode()


def test_password_change(client, make_user):
    client.force_login(make_user("alice"))
    page = client.get("/accounts/password/")
    assert page.status_code == 200 and 'for="id_old_password"' in page.content.decode()
    response = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "another-secret-42",
                                                   "new_password2": "another-secret-42"})
    assert response.status_code == 302 and response.url == "/accounts/password/done/"
    assert get_user(client).check_password("another-secret-42")  # still signed in


def test_password_change_needs_sign_in(client):
    response = client.get("/accounts/password/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
