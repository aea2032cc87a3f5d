"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live server.

No browser is ever downloaded (never ``playwright install``): the tests use ``/usr/bin/chromium``
(``.ci/run`` installs Debian's ``chromium`` package when it is absent). Without it every browser
test is skipped with the reason, never passed.

Playwright's sync API runs an event loop in the test thread; Django's ORM would then refuse every
query from the test with SynchronousOnlyOperation, although nothing runs concurrently with it
there. ``DJANGO_ALLOW_ASYNC_UNSAFE`` turns that check off for this process.

Each pytest-xdist worker gets its own browser, live server and test database.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.helpers import VIEWPORT, chromium_missing, launch_chromium

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    reason = chromium_missing()
    if not reason:
        return
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(skip)


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser tests of this process (each xdist worker has its own).

    Package-scoped rather than session-scoped: Playwright's event loop stays "running" in the test
    thread while it is open, and the tests collected after this package must not inherit it
    (``asyncio.run`` would refuse to start, Django's async-safety check would be off for nothing).
    """
    reason = chromium_missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def base_url(live_server) -> str:
    """The live server's address (transactional database: the server thread sees the test's rows)."""
    return live_server.url


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context and page per test (no cookies carried over), English by default.

    Uncaught script errors, Content-Security-Policy refusals and requests to any other origin than
    the live server's (a CDN, a font service: refused) are collected on ``page.js_errors`` and fail
    the test when it ends: a page whose script breaks, or that needs the internet, is a broken page.
    """
    context = browser.new_context(viewport=VIEWPORT, locale="en-GB", base_url=live_server.url)
    context.set_default_timeout(10_000)
    errors: list[str] = []
    origin = urlsplit(live_server.url)[:2]

    def same_origin_only(route):
        if urlsplit(route.request.url)[:2] == origin:
            route.continue_()
        else:
            errors.append(f"request to another origin: {route.request.url}")
            route.abort()

    context.route("**/*", same_origin_only)
    page = context.new_page()
    page.js_errors = errors
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    page.on("console", lambda msg: errors.append(f"console: {msg.text}")
            if msg.type == "error" and "Content Security Policy" in msg.text else None)
    yield page
    context.close()
    assert not errors, "script errors in the browser:\n" + "\n".join(errors)
