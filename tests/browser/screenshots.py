"""Full-page screenshots of the main pages, in French, into docs/screenshots/ (``make screenshots``).

A script, not a test: it builds a throw-away instance under /tmp (SQLite, the demo workspaces, a
user who owns them and reads French), starts the development server on it, signs in through the
login form with Debian's Chromium and saves one PNG per path below (1366×900, full page), plus the
first path at phone width (390×844). axe-core's serious and critical findings on each page are
printed, so that a picture is never mistaken for a page that passes.

Run from the repository root: ``.venv/bin/python tests/browser/screenshots.py [--keep]``.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

#: (path, file name without extension): the pages to capture, signed in as the demo's owner.
PAGES: list[tuple[str, str]] = [
    ("/?all=1", "home"),
    ("/w/valmont/", "workspace"),
    ("/w/valmont/applications/", "list-applications"),
    ("/w/valmont/flows/?protocol=https&sort=-name", "list-flows-filtered"),
    ("/w/valmont/applications/portail-famille/", "detail-application"),
    ("/w/valmont/services/etat-civil/", "detail-service"),
    ("/w/valmont/services/etat-civil/edit/", "form-service"),
    ("/w/valmont/documents/pra-informatique/", "detail-document"),
    ("/w/valmont/applications/portail-famille/history/", "history-object"),
    ("/w/valmont/history/", "history-workspace"),
    ("/search/?q=portail", "search"),
    ("/w/valmont/members/", "members"),
    ("/w/valmont/import/", "import-start"),
    ("/w/valmont/import/1/", "import-problems"),
    ("/w/valmont/import/2/", "import-preview"),
    ("/w/valmont/import/mappings/", "import-mappings"),
    ("/w/valmont/audit/", "audit"),
    ("/w/valmont/audit/?domain=data-protection&status=all", "audit-findings-filtered"),
    ("/w/valmont/audit/runs/", "audit-runs"),
    ("/w/valmont/audit/compare/", "audit-compare"),
    ("/w/valmont/audit/rules/?domain=data-protection", "audit-rules"),
    ("/w/valmont/audit/questionnaire/", "audit-questionnaire"),
    ("/w/valmont/audit/waive/?rule=DAT-001&target=flow:rh-vers-mutuelle-courriel", "audit-waive"),
    ("/w/valmont/flows/rh-vers-mutuelle-courriel/", "detail-flow-findings"),
    ("/w/valmont/applications/dropbox-urbanisme/", "detail-application-findings"),
    ("/w/valmont/jobs/1/", "job"),
    ("/w/valmont/discovery/", "discovery"),
    ("/w/valmont/discovery/runs/2/", "discovery-run"),
    ("/w/valmont/discovery/compare/", "discovery-compare"),
    ("/w/valmont/graph/?focus=asset:srv-police", "graph"),
    ("/w/valmont/graph/object/asset/srv-police/", "graph-impact"),
    ("/w/valmont/assets/srv-police/", "detail-asset-impact-tab"),
    ("/w/valmont/graph/spof/", "graph-spof"),
    ("/w/valmont/graph/lineage/?category=donnees-familles", "graph-lineage"),
    ("/w/valmont/audit/waivers/", "audit-waivers"),
    ("/w/valmont/reports/", "reports"),
    ("/w/valmont/reports/requests/", "report-requests"),
    ("/w/valmont/gdpr/", "gdpr"),
    ("/w/valmont/processing-activities/cantine-periscolaire/", "detail-processing-activity"),
    ("/w/valmont/terms-reviews/", "list-terms-reviews"),
    ("/w/valmont/cost-of-ownership/", "costs"),
    ("/w/valmont/renewals/", "renewals"),
    ("/w/valmont/catalogue/", "catalogue"),
    ("/w/valmont/catalogue/units/enfance/contract/", "catalogue-unit-contract"),
    ("/w/valmont/skills/", "skills"),
    ("/w/valmont/interop/", "interop"),
    ("/workspaces/new/", "workspace-new"),
    ("/w/valmont/custom-fields/", "list-custom-fields"),
    ("/w/valmont/custom-fields/mode-passation/edit/", "form-custom-field"),
    ("/w/valmont/contracts/?cf_mode-passation=MAPA&columns=name&columns=vendor&columns=end&columns=annual_amount"
     "&columns=custom.mode-passation", "list-contracts-saved-view"),
    ("/w/valmont/contracts/contrat-civilis/", "detail-contract-custom-fields"),
    ("/w/valmont/contracts/contrat-civilis/edit/", "form-contract-custom-fields"),
]
#: Pages captured signed out.
ANONYMOUS_PAGES: list[tuple[str, str]] = [
    ("/accounts/login/", "login"),
]

ROOT = Path(__file__).resolve().parents[2]
OUT_DIR = ROOT / "docs" / "screenshots"
USERNAME = "capture"
LANGUAGE = "fr"

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))


def prepare_instance(var_dir: Path) -> str:
    """Migrate a fresh database under ``var_dir``, load the demos, create their owner; its password."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from mue.accounts.members import add_member
    from mue.accounts.models import profile_of
    from mue.core.models import Role, Workspace
    from mue.demo import DEMOS, load_demo

    call_command("migrate", interactive=False, verbosity=0)
    for name in DEMOS:
        load_demo(name)
    password = secrets.token_urlsafe(16)
    user = get_user_model().objects.create_user(USERNAME, f"{USERNAME}@mue.example", password,
                                                first_name="Camille", last_name="Martin")
    for workspace in Workspace.objects.filter(slug__in=list(DEMOS)):
        add_member(workspace, user, Role.OWNER)
    audit_twice(Workspace.objects.get(slug="valmont"))
    profile = profile_of(user)
    profile.language = LANGUAGE
    profile.save()
    prepare_imports(Workspace.objects.get(slug="valmont"), user)
    prepare_decisions(Workspace.objects.get(slug="valmont"))
    run_jobs(Workspace.objects.get(slug="valmont"), user)
    prepare_views(Workspace.objects.get(slug="valmont"), user)
    return password


def prepare_views(workspace, user) -> None:
    """A shared saved view of the contracts (those passed as MAPA, with the procedure's column) and a
    private one of the applications, for the list pages."""
    from mue.core.access import allowed_actions
    from mue.web.saved_views import save_view

    actions = allowed_actions(user, workspace)
    save_view(workspace, user, actions, "contracts", "Contrats en MAPA",
              "cf_mode-passation=MAPA&columns=name&columns=vendor&columns=end&columns=annual_amount"
              "&columns=custom.mode-passation", shared=True)
    save_view(workspace, user, actions, "applications", "Logiciels SaaS", "kind=saas&columns=name&columns=kind"
              "&columns=vendor&columns=status", shared=False)


def prepare_imports(workspace, user) -> None:
    """Uploads 1 and 2 of the import pages: the demo's applications exported, "status" renamed "Statut SI"
    and one cell "R"; upload 1 previewed with the column matched but not the value (the problems), upload 2
    with both (what would change), and the mapping saved."""
    import io

    import openpyxl
    from django.utils import translation

    from mue.core.registry import registry
    from mue.interchange.exporter import export_items
    from mue.interchange.models import SavedMapping
    from mue.interchange.normalize import Names
    from mue.interchange.sheets import sheet_bytes
    from mue.interchange.views import run_sheets, sheets_of, store_upload

    otype = registry["applications"]
    book = openpyxl.load_workbook(io.BytesIO(sheet_bytes(otype, export_items(
        otype, otype.model.objects.filter(workspace=workspace).order_by("slug")), "xlsx")))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("slug")].value == "portail-famille":
            row[header.index("status")].value = "R"
            row[header.index("version")].value = "4.2"
    sheet.cell(row=1, column=header.index("status") + 1).value = "Statut SI"
    out = io.BytesIO()
    book.save(out)
    values = ({}, {"status": {"R": "approved"}})
    with translation.override(LANGUAGE):
        for value_mapping in values:
            upload = store_upload(workspace, "inventaire-logiciels.xlsx", "xlsx", out.getvalue(), user)
            mapping = {"type": "applications", "columns": {"Statut SI": "status"}, "values": value_mapping}
            drafts = [{"title": "applications", "type": "applications", "include": True, "mapping": mapping}]
            with sheets_of(upload) as sheets:
                upload.draft = {"sheets": drafts}
                upload.result = run_sheets(upload, sheets, drafts, workspace, USERNAME, Names(workspace.id),
                                           dry_run=True)
            upload.save()
        SavedMapping.objects.create(workspace=workspace, name="Inventaire des logiciels (service informatique)",
                                    object_type="applications", mapping=mapping, updated_by=user)


def run_jobs(workspace, user) -> None:
    """What the audit and discovery pages show: two audits around a waiver of P03, two discovery runs
    (through the job runner itself, in this process)."""
    import datetime as dt

    from django.conf import settings
    from django.utils import timezone, translation

    from mue.audit import live
    from mue.audit.waivers import add_waiver
    from mue.jobs.runner import submit

    settings.MUE_JOBS_RUNNER = "inline"
    logs = ROOT / "tests" / "fixtures" / "logs"
    with translation.override(LANGUAGE):
        submit("audit", workspace, user)
        add_waiver(workspace, "DAT-001", "flow:rh-vers-mutuelle-courriel", approver="Camille Martin",
                   justification="Remplacé par le portail sécurisé de la mutuelle au 1er mars.",
                   expires=timezone.localdate() + dt.timedelta(days=120), recorded_by=USERNAME)
        live.apply_decisions(workspace)
        submit("audit", workspace, user)
        submit("discovery", workspace, user, paths=[str(logs / "zeek_dns.log")], fmt="auto")
        submit("discovery", workspace, user, paths=[str(logs / "squid_small.log")], fmt="squid")


def prepare_decisions(workspace) -> None:
    """A waiver in force and a revoked one (the waivers page), a request for information with one answer."""
    import datetime as dt

    from django.utils import timezone

    from mue.audit import live
    from mue.audit.engine import run_audit
    from mue.audit.waivers import add_waiver, revoke_waiver
    from mue.reports.requests import record_answer, record_request

    live.publish(workspace, run_audit(workspace), live.last_entry(workspace))
    today = timezone.localdate()
    add_waiver(workspace, "DAT-001", "flow:rh-vers-mutuelle-courriel", approver="Directrice générale des services",
               justification="Le courriel sera remplacé par le portail sécurisé de la mutuelle en mars.",
               expires=today + dt.timedelta(days=120), recorded_by=USERNAME)
    revoke_waiver(add_waiver(workspace, "DOC-003", "application:zoom", justification="Retrait prévu cet été.",
                             approver="Responsable informatique", expires=today + dt.timedelta(days=60),
                             recorded_by=USERNAME), revoked_by=USERNAME)
    live.apply_decisions(workspace)
    request = record_request(workspace, "Localisation des sauvegardes", ["microsoft", "enfantia"],
                             question="Où sont hébergées les sauvegardes de vos services, et sous quel droit ?",
                             sent_on=today - dt.timedelta(days=30))
    record_answer(workspace, request.pk, "enfantia", "En France (OVHcloud, Roubaix) ; sauvegardes quotidiennes "
                  "conservées 30 jours.", answered_on=today - dt.timedelta(days=21))


def audit_twice(workspace) -> None:
    """Two audit runs, a register change between them: the dashboard and the cockpit show a trend."""
    from mue.audit.engine import run_audit
    from mue.audit.store import save_run
    from mue.services.models import Service

    save_run(run_audit(workspace), actor="capture")
    service = Service.objects.filter(workspace=workspace, business_owner__isnull=True).first()
    if service is not None:
        service.business_owner = Service.objects.filter(workspace=workspace).exclude(
            business_owner=None).first().business_owner
        service.save()
    save_run(run_audit(workspace), actor="capture")


def slug_of(path: str) -> str:
    """A file name for a path: ``/w/valmont/applications/`` → ``w-valmont-applications``."""
    return re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "home"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    """Django's development server on the instance (static files served: ``--insecure``)."""
    command = [sys.executable, "-m", "django", "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped: {server.stderr.read().decode(errors='replace')}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
            return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("the server did not answer within 60 s")


def capture(page, base_url: str, path: str, target: Path) -> None:
    from tests.browser.helpers import axe_violations, format_violations

    response = page.goto(base_url + path)
    page.wait_for_load_state("networkidle")
    status = response.status if response else "?"
    page.screenshot(path=str(target), full_page=True)
    violations = axe_violations(page)
    print(f"{target}  ({path}, HTTP {status})")
    if violations:
        print("  axe-core:\n" + re.sub("^", "    ", format_violations(violations), flags=re.M))


def take_screenshots(base_url: str, password: str, out_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser.helpers import PHONE_VIEWPORT, VIEWPORT, launch_chromium, log_in

    out_dir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            anonymous = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
            for path, name in ANONYMOUS_PAGES:
                capture(anonymous.new_page(), base_url, path, out_dir / f"{name}.png")
            anonymous.close()

            for viewport, suffix, pages in ((VIEWPORT, "", PAGES), (PHONE_VIEWPORT, "-phone", PAGES[:1])):
                context = browser.new_context(viewport=viewport, locale="fr-FR")
                page = context.new_page()
                log_in(page, base_url, USERNAME, password)
                for path, name in pages:
                    capture(page, base_url, path, out_dir / f"{name}{suffix}.png")
                context.close()
        finally:
            browser.close()


def named(arg: str) -> tuple[str, str]:
    """``PATH=NAME`` (the name after the last "=", when it is a plain name) or ``PATH`` named from itself."""
    path, _sep, name = arg.rpartition("=")
    if path and name and re.fullmatch(r"[\w.-]+", name):
        return path, name
    return arg, slug_of(arg)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="where the PNG files go")
    parser.add_argument("--keep", action="store_true", help="keep the temporary instance under /tmp")
    parser.add_argument("paths", nargs="*", metavar="PATH[=NAME]",
                        help="capture these signed-in paths instead of the list at the top of the script "
                             "(a path whose query ends in a plain value needs its =NAME)")
    args = parser.parse_args()
    if args.paths:
        PAGES[:] = [named(p) for p in args.paths]

    from tests.browser.helpers import chromium_missing

    reason = chromium_missing()
    if reason:
        raise SystemExit(reason.replace("browser tests skipped", "no screenshots taken"))

    var_dir = Path(tempfile.mkdtemp(prefix="mue-screenshots-", dir="/tmp"))
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update({
        "DJANGO_SETTINGS_MODULE": "mue.settings",
        "MUE_VAR_DIR": str(var_dir),
        "MUE_SECRET_KEY": secrets.token_urlsafe(50),
        "MUE_DEBUG": "0",
        "MUE_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MUE_LANGUAGE": LANGUAGE,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    })
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    server = None
    try:
        password = prepare_instance(var_dir)
        port = free_port()
        server = start_server(env, port)
        take_screenshots(f"http://127.0.0.1:{port}", password, args.out)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        if args.keep:
            print(f"instance kept in {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
