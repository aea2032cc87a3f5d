"""Issue #11's acceptance, in a browser only: the advisor of a fresh install creates a client workspace
from the commune template, imports a spreadsheet of 40 applications through a column mapping, loads
a week of DNS logs, runs the audit, waives one finding, and sees the dashboard and the cockpit
reflect it — every step through the pages, none through the terminal."""

from __future__ import annotations

import datetime as dt
import io
import os
import re

import openpyxl
import pytest

from tests.browser.helpers import assert_accessible, fill_new_client_workspace, log_in, save_shot

pytestmark = pytest.mark.django_db(transaction=True)
SLUG = "commune-de-saint-aubin"
SHOTS = os.environ.get("MUE_ACCEPTANCE_SHOTS")  # a folder: the dashboard and cockpit are saved there, to look at

#: The town hall's software inventory as its secretary keeps it: French headers and values the
#: importer does not know, one of them ("Logiciel") not a field name in any language.
SOFTWARE = [
    ("Zoom", "En ligne", "Validé", "https://zoom.us", "US"),
    ("Berger-Levrault e.magnus", "Sur serveur", "Validé", "", "FR"),
    ("Cosoluce Coloris", "Sur serveur", "Validé", "", "FR"),
    ("Libre Office", "Poste", "Validé", "", ""),
    ("Segilog Milord", "En ligne", "Toléré", "https://www.segilog.fr", "FR"),
] + [(f"Logiciel métier {n:02d}", ("En ligne", "Sur serveur", "Poste")[n % 3], ("Validé", "Toléré")[n % 2], "",
      "FR") for n in range(1, 36)]
HEADERS = ["Logiciel", "Mode", "Statut", "Adresse", "Pays d'hébergement"]
FIELDS = {"Logiciel": "name", "Mode": "kind", "Statut": "status", "Adresse": "url",
          "Pays d'hébergement": "hosting_country"}
#: The SaaS the workstations ask the DNS for, and by how many of them: Zoom is in the register, not the others.
DOMAINS = {"zoom.us": 12, "www.dropbox.com": 6, "app.slack.com": 4, "docs.google.com": 5}


@pytest.fixture
def advisor(db, settings, tmp_path):
    """A fresh ``make run``: both demos and the advisor account it prints, jobs run in the server."""
    from django.contrib.auth import get_user_model

    from mue.accounts.demo import initial_advisor
    from mue.accounts.models import profile_of
    from mue.demo import DEMOS, load_demo

    settings.MUE_JOBS_RUNNER = "inline"  # the live server's database is this process's
    settings.VAR_DIR = tmp_path
    for name in DEMOS:
        load_demo(name)
    login = initial_advisor(tmp_path, DEMOS)
    profile = profile_of(get_user_model().objects.get(username=login[0]))
    profile.language = "en"  # the words the test looks for
    profile.save()
    return login


def _inventory() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Inventaire logiciels"
    sheet.append(HEADERS)
    for row in SOFTWARE:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _week_of_dns() -> bytes:
    """dnsmasq's query log (as Pi-hole writes it) of seven days, twelve workstations."""
    lines = []
    start = dt.datetime(2026, 11, 23, 8, 0, 0)
    for day in range(7):
        for hour in range(8, 18):
            for domain, clients in DOMAINS.items():
                for client in range(clients):
                    at = start.replace(day=start.day + day, hour=hour, minute=(client * 7) % 60)
                    lines.append(f"{at:%b %d %H:%M:%S} dnsmasq[812]: query[A] {domain} from 192.0.2.{10 + client}")
                    lines.append(f"{at:%b %d %H:%M:%S} dnsmasq[812]: forwarded {domain} to 9.9.9.9")
    return ("\n".join(lines) + "\n").encode()


def _create_the_workspace(page, base_url: str) -> None:
    fill_new_client_workspace(page, base_url, "Commune de Saint-Aubin", 1800, "mairie@saint-aubin.fr")
    page.get_by_role("button", name="Create the workspace").click()
    page.wait_for_url(f"{base_url}/w/{SLUG}/")


def _import_the_inventory(page, base_url: str) -> None:
    page.get_by_role("link", name="Import", exact=True).click()
    page.set_input_files("#import-file", files=[{"name": "inventaire.xlsx", "buffer": _inventory(), "mimeType":
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    page.get_by_role("button", name="Read the file").click()
    page.wait_for_url(re.compile(rf"/w/{SLUG}/import/\d+/$"))
    if page.get_by_label("It holds").input_value() != "applications":
        page.get_by_label("It holds").select_option("applications")
        page.get_by_role("button", name="Change").click()
    for header, key in FIELDS.items():
        page.get_by_label(f"Field of the column {header}").select_option(key)
    page.get_by_role("button", name="Preview").first.click()
    problems = page.locator("[data-mue-problems]").inner_text()
    # The importer reads "En ligne", "Validé"… in French; not the secretary's "Poste" for a desktop program.
    assert "'Poste' is not an allowed value" in problems and re.search(r"row \d+\s+Mode \(kind\)", problems)
    assert "'Validé'" not in problems and "'En ligne'" not in problems, problems
    page.get_by_label("What Poste becomes").select_option("desktop")
    page.get_by_role("button", name="Preview").first.click()
    summary = page.locator("[data-mue-summary]").inner_text()
    assert re.search(r"40 created", summary), summary
    page.locator("#result").get_by_role("button", name="Import").click()
    assert "Import done" in page.locator("#result").inner_text()


def _load_the_dns_logs(page, base_url: str) -> None:
    page.goto(f"{base_url}/w/{SLUG}/discovery/")
    page.set_input_files("#id_logs", files=[{"name": "dnsmasq.log", "mimeType": "text/plain",
                                             "buffer": _week_of_dns()}])
    page.get_by_role("button", name="Upload and read").click()
    page.wait_for_url(re.compile(rf"/w/{SLUG}/jobs/\d+/"))
    assert page.get_by_text("Finished", exact=True).is_visible()
    page.get_by_role("link", name="See the result").click()
    page.wait_for_url(re.compile(rf"/w/{SLUG}/discovery/runs/\d+/"))
    assert "Shadow IT" in page.locator("[data-testid=service-dropbox]").inner_text()
    assert "Shadow IT" not in page.locator("[data-testid=service-zoom]").inner_text()  # in the register


def _run_the_audit(page, base_url: str) -> None:
    page.goto(f"{base_url}/w/{SLUG}/audit/")
    page.get_by_role("button", name=re.compile("Run (the first|a new) audit")).click()
    page.wait_for_url(re.compile(rf"/w/{SLUG}/jobs/\d+/"))
    assert page.get_by_text("Finished", exact=True).is_visible()
    page.get_by_role("link", name="See the result").click()
    page.wait_for_url(re.compile(rf"/w/{SLUG}/audit/runs/\d+/"))


def _dashboard_counts(page, base_url: str) -> tuple[int, str]:
    page.goto(f"{base_url}/w/{SLUG}/")
    panel = page.locator("section", has=page.get_by_role("heading", name="Open findings by severity"))
    text = panel.inner_text()
    return int(re.search(r"(\d+) findings? open today", text).group(1)), text


def _cockpit_serious(page, base_url: str) -> int:
    page.goto(f"{base_url}/")
    table = page.locator("table").filter(has=page.locator("caption", has_text="Your workspaces"))
    row = table.locator("tr", has=page.get_by_role("link", name="Commune de Saint-Aubin"))
    assert table.get_by_role("link", name="Commune de Valmont").count() == 1  # every client on one page
    return int(re.search(r"(\d+) critical, (\d+) high", row.inner_text()).group(1)) + \
        int(re.search(r"(\d+) critical, (\d+) high", row.inner_text()).group(2))


def test_a_first_audit_of_a_new_client_in_the_browser_only(page, base_url, advisor):
    from mue.applications.models import Application
    from mue.audit.models import Waiver

    log_in(page, base_url, *advisor)
    _create_the_workspace(page, base_url)
    _import_the_inventory(page, base_url)
    assert Application.objects.filter(workspace__slug=SLUG).count() == 40
    assert Application.objects.get(workspace__slug=SLUG, slug="zoom").kind == "saas"
    assert Application.objects.get(workspace__slug=SLUG, slug="libre-office").kind == "desktop"
    assert Application.objects.get(workspace__slug=SLUG, slug="segilog-milord").status == "tolerated"
    _load_the_dns_logs(page, base_url)
    _run_the_audit(page, base_url)

    open_before, text = _dashboard_counts(page, base_url)
    assert "waived" not in text and open_before > 0
    serious_before = _cockpit_serious(page, base_url)
    assert serious_before > 0

    page.goto(f"{base_url}/w/{SLUG}/audit/?severity=high")
    finding = page.locator("[data-testid=finding]").first
    finding.get_by_role("link", name=re.compile("Waive")).click()
    page.wait_for_url(re.compile(r"/audit/waive/"))
    page.fill("#id_justification", "Risque accepté par le maire jusqu'au renouvellement du marché.")
    page.get_by_role("button", name="Record the waiver").click()
    assert "Waiver recorded" in page.content()
    assert Waiver.objects.filter(workspace__slug=SLUG).count() == 1

    open_after, text = _dashboard_counts(page, base_url)
    assert open_after == open_before - 1 and "1 waived." in text
    shadow = page.locator("section", has=page.get_by_role("heading", name=re.compile("Shadow IT")))
    assert "Dropbox" in shadow.inner_text()
    assert_accessible(page)
    save_shot(page, SHOTS, "dashboard-after-waiver")
    assert _cockpit_serious(page, base_url) == serious_before - 1
    assert_accessible(page)
    save_shot(page, SHOTS, "cockpit-after-waiver")
