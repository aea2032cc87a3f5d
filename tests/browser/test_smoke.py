"""The browser stack works end to end: the login page loads, is accessible, and signing in lands."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model

from tests.browser.helpers import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_page_is_accessible_and_signing_in_lands_on_home(page, base_url):
    get_user_model().objects.create_user("alice", "alice@example.org", "a-long-password-1")

    response = page.goto(f"{base_url}/accounts/login/")
    assert response is not None and response.status == 200
    assert page.locator('input[name="username"]').is_visible()
    # The vendored stylesheet was served and applied (Tabler's card, not the browser's defaults).
    assert page.locator(".card").first.evaluate("el => getComputedStyle(el).borderRadius") != "0px"
    assert_accessible(page)

    log_in(page, base_url, "alice", "a-long-password-1")
    assert urlsplit(page.url).path == "/"
    assert page.locator("h1").count() >= 1
    assert_accessible(page)


def test_wrong_password_stays_on_the_login_page(page, base_url):
    get_user_model().objects.create_user("bob", "bob@example.org", "a-long-password-2")
    with pytest.raises(AssertionError, match="logging in as 'bob' failed"):
        log_in(page, base_url, "bob", "not-the-password")



def test_requests_to_other_origins_are_refused_and_reported(page, base_url):
    """The page fixture's guard works: a page asking a CDN gets nothing and the test is told."""
    page.route(f"{base_url}/__cdn__", lambda route: route.fulfill(
        body='<!doctype html><html lang="en"><title>t</title><script src="https://cdn.example.org/x.js"></script></html>',
        content_type="text/html"))
    page.goto(f"{base_url}/__cdn__")
    assert page.js_errors == ["request to another origin: https://cdn.example.org/x.js"]
    page.js_errors.clear()  # seen: the fixture need not fail this test when it ends


def test_content_security_policy_refusals_are_reported(page, base_url):
    """An inline script refused by a ``script-src 'self'`` policy is reported by the page fixture."""
    page.route(f"{base_url}/__csp__", lambda route: route.fulfill(
        body='<!doctype html><html lang="en"><title>t</title><script>document.title = "ran"</script></html>',
        content_type="text/html", headers={"Content-Security-Policy": "script-src 'self'"}))
    page.goto(f"{base_url}/__csp__")
    assert page.title() == "t"
    assert any("Content Security Policy" in error for error in page.js_errors), page.js_errors
    page.js_errors.clear()
