"""The site's script (static/web/mue.js) in a real browser, on a page made of its data attributes.

The page is served by the test itself (Playwright routes) on the live server's origin, with the
vendored files and mue.js served by the live server and a Content-Security-Policy as strict as the
site's (``script-src 'self'``, no inline style): a behaviour that needs an inline script or style
fails here. The pages of the product test these behaviours again where they use them.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.helpers import assert_accessible, axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")

HEAD = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>mue.js</title>
<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>
<link rel="stylesheet" href="/static/vendor/tabler/css/tabler.min.css">
<link rel="stylesheet" href="/static/vendor/tom-select/css/tom-select.bootstrap5.min.css">
<link rel="stylesheet" href="/static/web/mue.css"></head><body><main class="container py-3"><h1>mue.js</h1>"""
FOOT = """</main>
<script src="/static/vendor/tabler/js/tabler.min.js"></script>
<script src="/static/vendor/htmx/htmx.min.js"></script>
<script src="/static/vendor/tom-select/js/tom-select.complete.min.js"></script>
<script src="/static/web/mue.js"></script></body></html>"""

TABLE = """<form method="post" action="/__mue__/bulk" id="{id}">
<span data-mue-selected-count="{{count}} selected"></span>
<button class="btn" type="submit" data-mue-needs-selection>Edit selected</button>
<table class="table"><thead><tr>
<th><input type="checkbox" data-mue-check-all aria-label="Select all"></th><th>Name</th></tr></thead>
<tbody>{rows}</tbody></table></form>"""
ROWS = "".join(f'<tr><td><input type="checkbox" name="pk" value="{i}" aria-label="Select row {i}"></td>'
               f"<td>Row {i}</td></tr>" for i in (1, 2, 3))

BODY = f"""
<form id="auto" method="get" action="/__mue__/submitted"><label for="size">Per page</label>
  <select id="size" name="size" data-mue-autosubmit><option>10</option><option>50</option></select></form>
<form id="columns" method="get" action="/__mue__/submitted" data-mue-column-chooser>
  <details open><summary>Columns</summary>
  <label><input type="checkbox" name="columns" value="name" checked> Name</label>
  <label><input type="checkbox" name="columns" value="owner"> Owner</label></details></form>
{TABLE.format(id="bulk", rows=ROWS)}
<form id="delete" method="post" action="/__mue__/deleted" data-mue-confirm="Delete it and its 3 links?">
  <button class="btn btn-danger" type="submit">Delete</button></form>
<form id="refs" method="get" action="/__mue__/submitted">
  <label class="form-label" for="vendor">Vendor</label>
  <select id="vendor" name="vendor" class="form-select" data-mue-autocomplete="/__mue__/ac">
    <option value="">—</option><option value="acme" selected>Acme</option></select>
  <label class="form-label" for="tags">Tags</label>
  <select id="tags" name="tags" class="form-select" multiple data-mue-autocomplete="/__mue__/ac">
    <option value="blue" selected>Blue</option></select>
</form>
<form class="mue-search" role="search" method="get" action="/__mue__/search">
  <label class="visually-hidden" for="global-search">Search</label>
  <input id="global-search" class="form-control" type="search" name="q" autocomplete="off"
         hx-get="/__mue__/search" hx-trigger="input changed delay:50ms" hx-target="#search-results"
         aria-controls="search-results">
  <div id="search-results" class="mue-search-results" aria-live="polite"></div>
</form>
<button class="btn" id="load" hx-get="/__mue__/fragment" hx-target="#swapped">Load more</button>
<div id="swapped"></div>
"""

FRAGMENT = TABLE.format(id="bulk2", rows=ROWS) + """
<label class="form-label" for="owner">Owner</label>
<select id="owner" name="owner" data-mue-autocomplete="/__mue__/ac"><option value="">—</option></select>"""

SEARCH = """<ul class="list-group mue-search-list" role="list">
<li class="list-group-item"><a href="/__mue__/hit/1">First hit</a></li>
<li class="list-group-item"><a href="/__mue__/hit/2">Second hit</a></li></ul>"""

OPTIONS = [{"value": "acme", "text": "Acme"}, {"value": "globex", "text": "Globex"},
           {"value": "initech", "text": "Initech"}]


@pytest.fixture
def js_page(page, base_url):
    """The test page, with its fake endpoints; ``js_page.requests`` lists the paths asked for."""
    requests: list[str] = []

    def handle(route):
        url = urlsplit(route.request.url)
        requests.append(url.path + ("?" + url.query if url.query else ""))
        html = {"content_type": "text/html; charset=utf-8", "headers": {"Content-Security-Policy": CSP}}
        if url.path == "/__mue__/page":
            route.fulfill(body=HEAD + BODY + FOOT, **html)
        elif url.path == "/__mue__/fragment":
            route.fulfill(body=FRAGMENT, **html)
        elif url.path == "/__mue__/search":
            route.fulfill(body=SEARCH if parse_qs(url.query).get("q") else "", **html)
        elif url.path == "/__mue__/ac":
            q = parse_qs(url.query).get("q", [""])[0].lower()
            results = [o for o in OPTIONS if q in o["text"].lower()]
            route.fulfill(body=json.dumps({"results": results}), content_type="application/json")
        else:
            route.fulfill(body=HEAD + "<p>done</p>" + FOOT, **html)

    page.route("**/__mue__/**", handle)
    page.goto(f"{base_url}/__mue__/page")
    page.wait_for_function("() => window.mue && document.querySelector('#vendor').tomselect")
    page.requests = requests
    return page


def test_autosubmit_select_and_column_chooser(js_page):
    with js_page.expect_navigation():
        js_page.select_option("#size", "50")
    assert urlsplit(js_page.url).path == "/__mue__/submitted" and "size=50" in js_page.url

    js_page.go_back()
    with js_page.expect_navigation():
        js_page.click('input[name="columns"][value="owner"]')
    assert "columns=name" in js_page.url and "columns=owner" in js_page.url


def test_check_all_counts_and_enables_the_bulk_buttons(js_page):
    button = js_page.locator("#bulk [data-mue-needs-selection]")
    count = js_page.locator("#bulk [data-mue-selected-count]")
    assert button.is_disabled() and count.inner_text() == ""

    js_page.check("#bulk [data-mue-check-all]")
    assert js_page.locator('#bulk input[name="pk"]:checked').count() == 3
    assert count.inner_text() == "3 selected" and button.is_enabled()

    js_page.uncheck('#bulk input[name="pk"][value="2"]')
    assert count.inner_text() == "2 selected"
    assert js_page.locator("#bulk [data-mue-check-all]").evaluate("el => el.indeterminate")

    # Clicking the mixed box selects every row again; a second click clears them all.
    js_page.click("#bulk [data-mue-check-all]")
    assert count.inner_text() == "3 selected"
    js_page.click("#bulk [data-mue-check-all]")
    assert js_page.locator('#bulk input[name="pk"]:checked').count() == 0
    assert button.is_disabled() and count.inner_text() == ""


def test_confirm_cancels_or_lets_the_form_through(js_page):
    messages = []
    js_page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.dismiss()))
    js_page.click("#delete button")
    js_page.wait_for_timeout(200)
    assert messages == ["Delete it and its 3 links?"]
    assert "/__mue__/deleted" not in js_page.requests

    js_page.once("dialog", lambda dialog: dialog.accept())
    with js_page.expect_navigation():
        js_page.click("#delete button")
    assert urlsplit(js_page.url).path == "/__mue__/deleted"


def test_autocomplete_keeps_the_selection_and_loads_from_the_url(js_page):
    vendor = js_page.locator("#vendor")
    assert vendor.evaluate("el => el.value") == "acme"
    assert vendor.evaluate("el => Array.from(el.options).every(o => o.value !== '')"), "placeholder option left"
    # The label now names Tom Select's input, so the control keeps its accessible name.
    control = js_page.get_by_role("combobox", name="Vendor")
    assert control.count() == 1

    # Where a person clicks; the list opens with the server's first answer, then they type.
    with js_page.expect_response(lambda response: response.url.endswith("/__mue__/ac?q=")):
        js_page.locator("#vendor + .ts-wrapper .ts-control").click()
    js_page.locator(".ts-dropdown .option").first.wait_for()
    with js_page.expect_response(lambda response: "/__mue__/ac?q=glo" in response.url):
        js_page.keyboard.type("glo")
    globex = js_page.locator(".ts-dropdown .option", has_text="Globex")
    globex.wait_for()
    assert js_page.locator(".ts-dropdown .option", has_text="Acme").count() == 0, "only the server's answer is shown"
    globex.click()
    assert vendor.evaluate("el => el.value") == "globex"

    assert js_page.get_by_role("combobox", name="Tags").count() == 1
    with js_page.expect_response(lambda response: response.url.endswith("/__mue__/ac?q=")):
        js_page.locator("#tags + .ts-wrapper .ts-control").click()
    js_page.locator("#tags-ts-dropdown .option").first.wait_for()
    with js_page.expect_response(lambda response: "/__mue__/ac?q=ini" in response.url):
        js_page.keyboard.type("ini")
    js_page.locator(".ts-dropdown .option", has_text="Initech").click()
    selected = js_page.locator("#tags").evaluate("el => Array.from(el.selectedOptions).map(o => o.value)")
    assert selected == ["blue", "initech"]
    assert_accessible(js_page)


def test_behaviours_apply_to_content_swapped_in_by_htmx(js_page):
    js_page.click("#load")
    js_page.wait_for_function("() => document.querySelector('#owner') && document.querySelector('#owner').tomselect")
    button = js_page.locator("#bulk2 [data-mue-needs-selection]")
    assert button.is_disabled()
    js_page.check("#bulk2 [data-mue-check-all]")
    assert js_page.locator("#bulk2 [data-mue-selected-count]").inner_text() == "3 selected"
    assert button.is_enabled()


def test_search_keyboard(js_page):
    search = js_page.locator("#global-search")
    results = js_page.locator("#search-results")
    search.fill("hit")
    js_page.wait_for_selector("#search-results a")
    assert results.is_visible()

    search.press("ArrowDown")
    assert js_page.evaluate("document.activeElement.textContent") == "First hit"
    js_page.keyboard.press("ArrowDown")
    assert js_page.evaluate("document.activeElement.textContent") == "Second hit"
    js_page.keyboard.press("ArrowUp")
    js_page.keyboard.press("ArrowUp")
    assert js_page.evaluate("document.activeElement.id") == "global-search"

    search.press("Escape")
    assert results.evaluate("el => el.childElementCount") == 0
    assert not results.is_visible()
    assert search.input_value() == "hit", "the first Escape closes the results, not the text"


def test_axe_reports_what_it_finds(js_page):
    """The check is real: an unlabelled field and an image without text are reported."""
    js_page.evaluate("""() => {
        const main = document.querySelector('main');
        main.insertAdjacentHTML('beforeend', '<input type="text" id="nolabel"><img src="data:,">');
    }""")
    ids = {v["id"] for v in axe_violations(js_page)}
    assert {"label", "image-alt"} <= ids
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(js_page)
