"""Set-up and workspace commands: init, setup, workspaces, demo, serve, i18n."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import typer
from django.utils.translation import gettext as _
from rich.table import Table

from mue.cli.app import ExitCode, app, console, err_console, fail, setup_django
from mue.cli.group import MueGroup

i18n_app = typer.Typer(help=_("Translations."), no_args_is_help=True, cls=MueGroup)
app.add_typer(i18n_app, name="i18n")


@app.command(help=_("Create an empty workspace (one per organization or client)."))
def init(
    slug: str = typer.Argument(..., help=_("Stable id of the workspace, e.g. 'valmont'.")),
    name: str = typer.Option(..., "--name", "-n", help=_("Name of the organization.")),
    kind: str = typer.Option("other", help=_("commune, intercommunality, sme, association, public-body, other.")),
    country: str = typer.Option("FR", help=_("ISO country code.")),
    language: str = typer.Option("fr", help=_("fr or en.")),
) -> None:
    setup_django()
    from django.core.exceptions import ValidationError

    from mue.core.models import Workspace

    if Workspace.objects.filter(slug=slug).exists():
        raise fail(_("workspace '%(slug)s' already exists") % {"slug": slug}, ExitCode.INVALID_INPUT)
    ws = Workspace(slug=slug, name=name, kind=kind, country=country.upper(), language=language)
    try:
        ws.full_clean()
    except ValidationError as exc:
        problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
        raise fail(problems, ExitCode.INVALID_INPUT) from None
    ws.save()
    console.print(_("Workspace %(slug)s created.") % {"slug": f"[bold]{slug}[/]"})


@app.command(help=_("List the workspaces with the number of objects of the main types."))
def workspaces(as_json: bool = typer.Option(False, "--json", help=_("All counts per type, as JSON."))) -> None:
    setup_django()
    import json

    from django.db.models import Count

    from mue.core.models import Workspace
    from mue.core.registry import registry

    counts: dict[tuple[int, str], int] = {}
    for otype in registry:
        for row in otype.model.objects.values("workspace_id").annotate(n=Count("id")).order_by():
            counts[(row["workspace_id"], otype.key)] = row["n"]
    spaces = list(Workspace.objects.order_by("slug"))
    if as_json:
        data = [{"slug": ws.slug, "name": ws.name, "kind": ws.kind,
                 "objects": {t.key: counts.get((ws.id, t.key), 0) for t in registry}} for ws in spaces]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    shown = ["services", "applications", "flows", "assets"]
    table = Table("slug", "name", *shown, "all objects")
    for ws in spaces:
        total = sum(counts.get((ws.id, t.key), 0) for t in registry)
        table.add_row(ws.slug, ws.name, *[str(counts.get((ws.id, key), 0)) for key in shown], str(total))
    console.print(table)


@app.command(help=_("Load the demo workspaces shipped with Mue (a French commune, an English-speaking SME)."))
def demo(
    name: str = typer.Argument("all", help=_("Which demo workspace: valmont, atelier, or all.")),
    replace: bool = typer.Option(False, help=_("Delete the demo workspace first if it exists.")),
) -> None:
    setup_django()
    from mue.demo import DEMOS

    names = list(DEMOS) if name == "all" else [name]
    for demo_name in names:
        if demo_name not in DEMOS:
            raise fail(_("unknown demo '%(name)s' (known: %(known)s)") % {"name": demo_name, "known": ", ".join(DEMOS)},
                       ExitCode.NOT_FOUND)
        report = _load_demo_or_fail(demo_name, replace)
        console.print(_("Demo %(name)s: %(summary)s") % {"name": f"[bold]{demo_name}[/]", "summary": report.summary()})


def _load_demo_or_fail(name: str, replace: bool):
    from mue.demo import load_demo
    from mue.interchange.problems import ImportFailed

    try:
        return load_demo(name, replace=replace)
    except ImportFailed as exc:
        for problem in exc.problems:
            err_console.print(f"  {problem}", highlight=False, markup=False)
        raise fail(_("demo '%(name)s' was rejected; nothing was written") % {"name": name},
                   ExitCode.INVALID_INPUT) from None


def _initial_admin(var_dir: Path, demos) -> tuple[str, str | None]:
    """Create the first administrator if there is none; returns the login and its password if known."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    secret_file = var_dir / "initial-admin.txt"
    if not User.objects.filter(is_superuser=True).exists():
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", "admin@example.org", password)
        secret_file.write_text(f"admin\n{password}\n", encoding="utf-8")
        os.chmod(secret_file, 0o600)
    from mue.accounts.demo import owner_of_demos

    # Superusers see content only where they are members: the first administrator owns the demos.
    owner_of_demos(User.objects.filter(is_superuser=True).order_by("pk").first(), demos)
    if secret_file.exists():
        login, password = secret_file.read_text(encoding="utf-8").split()[:2]
        return login, password
    return User.objects.filter(is_superuser=True).values_list("username", flat=True).first(), None


@app.command(help=_("Create or update the database, load the demo workspaces and create an administrator if none "
                    "exists. Safe to run again (after an upgrade, it applies what the new version needs)."))
def setup(
    demo: bool = typer.Option(True, "--demo/--no-demo",
                              help=_("Load the demo workspaces and their advisor (--no-demo: a clean instance).")),
) -> None:
    setup_django(database=False)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import DatabaseError

    from mue.cli.app import forget_database_check
    from mue.cli.database import describe_database
    from mue.demo import DEMOS

    try:
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise fail(_("cannot create the data directory %(path)s (%(error)s): set MUE_VAR_DIR to a writable "
                     "directory") % {"path": settings.VAR_DIR, "error": exc.strerror}, ExitCode.NOT_READY) from None
    console.print(_("Data directory: %(path)s") % {"path": settings.VAR_DIR}, highlight=False)
    console.print(_("Database: %(where)s") % {"where": describe_database()}, highlight=False)
    try:
        call_command("migrate", interactive=False, verbosity=0)
    except DatabaseError as exc:
        raise fail(_("cannot set up the database %(where)s: %(error)s (check DATABASE_URL)")
                   % {"where": describe_database(), "error": str(exc).strip().splitlines()[0]},
                   ExitCode.NOT_READY) from None
    forget_database_check()
    for demo_name in DEMOS if demo else ():
        report = _load_demo_or_fail(demo_name, False)
        console.print(_("Demo %(name)s: %(summary)s") % {"name": f"[bold]{demo_name}[/]", "summary": report.summary()})
    login, password = _initial_admin(settings.VAR_DIR, DEMOS if demo else {})
    if password:
        console.print(_("Administrator: %(login)s / password %(password)s")
                      % {"login": f"[bold]{login}[/]", "password": f"[bold]{password}[/]"})
    else:
        console.print(_("Administrator: %(login)s") % {"login": f"[bold]{login}[/]"})
    if not demo:
        return
    from mue.accounts.demo import initial_advisor

    login, password = initial_advisor(settings.VAR_DIR, DEMOS)
    if password:
        console.print(_("Advisor (auditor of the demos): %(login)s / password %(password)s")
                      % {"login": f"[bold]{login}[/]", "password": f"[bold]{password}[/]"})
    else:
        console.print(_("Advisor (auditor of the demos): %(login)s") % {"login": f"[bold]{login}[/]"})


@app.command(help=_("Start the web application (development server; see docs/deployment.md for production)."))
def serve(
    host: str = typer.Option("127.0.0.1", help=_("Address to listen on.")),
    port: int = typer.Option(8000, help=_("Port to listen on.")),
) -> None:
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    secret_file = settings.VAR_DIR / "initial-admin.txt"
    console.rule("[bold]Mue")
    console.print(_("Open %(url)s in a browser.") % {"url": f"[bold cyan]http://{host}:{port}/[/]"})
    if secret_file.exists():
        login, password = secret_file.read_text(encoding="utf-8").split()[:2]
        console.print(_("Log in as %(login)s with password %(password)s")
                      % {"login": f"[bold]{login}[/]", "password": f"[bold]{password}[/]"})
    from django.contrib.auth import get_user_model

    if not get_user_model().objects.filter(is_superuser=True).exists():
        err_console.print(_("No administrator yet: create one with `mue setup --no-demo` or "
                            "`mue user add NAME --superuser`."), highlight=False)
    advisor_file = settings.VAR_DIR / "initial-advisor.txt"
    if advisor_file.exists():
        login, password = advisor_file.read_text(encoding="utf-8").split()[:2]
        console.print(_("The advisor (auditor of the demos) logs in as %(login)s with password %(password)s")
                      % {"login": f"[bold]{login}[/]", "password": f"[bold]{password}[/]"})
    console.rule()
    call_command("runserver", f"{host}:{port}", use_reloader=False)


@i18n_app.command("compile", help=_("Compile the shipped French and English message catalogues (.po -> .mo)."))
def compile_messages() -> None:
    import polib

    root = Path(__file__).resolve().parent.parent
    count = 0
    for po_path in root.rglob("locale/*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        # Written aside then renamed: a process reading the catalogue never sees half a file.
        partial = mo_path.with_suffix(f".mo.{os.getpid()}")
        polib.pofile(str(po_path)).save_as_mofile(str(partial))
        os.replace(partial, mo_path)
        count += 1
    console.print(f"{count} message catalogue(s) compiled.")  # runs before any catalogue exists
