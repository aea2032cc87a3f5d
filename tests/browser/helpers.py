"""What browser tests share: Debian's Chromium, signing in through the real form, the axe-core check.

Kept out of ``conftest.py`` so that tests and ``screenshots.py`` import them by name.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe

CHROMIUM = Path(os.environ.get("MUE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1366, "height": 900}
PHONE_VIEWPORT = {"width": 390, "height": 844}


def chromium_missing() -> str | None:
    """Why no browser can be driven here, or None when Debian's Chromium is there."""
    if not CHROMIUM.exists():
        return (f"{CHROMIUM} is absent (install Debian's chromium package: apt-get install chromium); "
                "browser tests skipped")
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is not executable; browser tests skipped"
    return None


def launch_chromium(playwright):
    """Debian's Chromium, headless, with nothing that calls home (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


#: Impacts that fail a page; "minor" and "moderate" findings are left to review (issue 10: "axe-core
#: run in the browser tests on the main pages reports no serious violation").
FAILING_IMPACTS = frozenset({"serious", "critical"})

# axe-core ships inside axe-playwright-python (axe.min.js) and is injected by page.evaluate: it never
# fetches anything, so the check works offline.
_AXE = Axe()


def axe_violations(page, impacts: frozenset[str] = FAILING_IMPACTS) -> list[dict]:
    """The axe-core violations of the page as it stands, restricted to ``impacts``."""
    results = _AXE.run(page)
    return [v for v in results.response["violations"] if v.get("impact") in impacts]


def format_violations(violations: list[dict]) -> str:
    """One paragraph per rule: its id, impact, help text and link, and the offending nodes."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}"
                     f" <{violation.get('helpUrl', '')}>")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node.get("target", []))
            lines.append(f"    {target}: {node.get('failureSummary', '').strip().replace(chr(10), ' ')}")
    return "\n".join(lines)


def assert_accessible(page, impacts: frozenset[str] = FAILING_IMPACTS) -> None:
    """Fail when axe-core finds a violation of a serious or critical impact on the current page."""
    violations = axe_violations(page, impacts)
    assert not violations, f"axe-core violations on {page.url}:\n{format_violations(violations)}"


def log_in(page, base_url: str, username: str, password: str, next_path: str | None = None) -> None:
    """Sign in through the login form (``/accounts/login/``), as a person would, and wait to land.

    Fails with the page's alert text when the form answers with an error instead of redirecting.
    """
    url = f"{base_url}/accounts/login/"
    if next_path:
        url += f"?next={next_path}"
    page.goto(url)
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', password)
    with page.expect_navigation():
        page.click('form[action$="/accounts/login/"] button[type="submit"]')
    if urlsplit(page.url).path == "/accounts/login/":
        alert = page.locator(".alert")
        message = alert.first.inner_text() if alert.count() else "(no message)"
        raise AssertionError(f"logging in as {username!r} failed: {message}")


def valmont_with_owner(username: str, password: str):
    """The Valmont demo loaded, with ``username`` its owner (signs in with ``password``)."""
    from django.contrib.auth import get_user_model

    from mue.core.models import Membership, Workspace
    from mue.demo import load_demo

    load_demo("valmont")
    ws = Workspace.objects.get(slug="valmont")
    user = get_user_model().objects.create_user(username, f"{username}@example.org", password)
    Membership.objects.create(workspace=ws, user=user, role="owner")
    return ws


def save_shot(page, folder: str | None, name: str) -> None:
    """A full-page PNG of the step in ``folder`` when one is given (to look at a test's pages), else nothing."""
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def fill_new_client_workspace(page, base_url: str, name: str, population: int, contact_email: str) -> None:
    """The advisor's "New client workspace" form from the cockpit, filled with the commune template in
    French (the caller submits it, after looking at the form if it wants)."""
    page.goto(f"{base_url}/")
    page.get_by_role("link", name="New client workspace").click()
    page.select_option("#id_template", "commune")
    page.select_option("#id_language", "fr")
    page.fill("#id_name", name)
    page.fill("#id_population", str(population))
    page.fill("#id_contact_email", contact_email)
