"""``mue discover`` and ``mue catalogue``: usage and shadow-IT discovery from proxy, DNS and SSO logs."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn
from rich.table import Table
from rich.text import Text

from mue.cli.app import (
    ExitCode,
    _,
    app,
    console,
    err_console,
    fail,
    input_files_or_exit,
    setup_django,
    workspace_or_exit,
)
from mue.discovery.catalogue import KINDS


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


@app.command(help=_("Find which online services are used, by how many, and which ones the register lacks (shadow IT)."))
def discover(
    logs: list[Path] = typer.Argument(None, help=_("Log files (plain or gzip).")),
    workspace: str = typer.Option(..., "--workspace", "-w", help=_("Workspace slug.")),
    fmt: str = typer.Option("auto", "--format", "-f",
                            help=_("auto, squid, zeek-dns, zeek-http, zeek-ssl, pihole, adguard, unbound, bind, csv.")),
    mapping: str = typer.Option(None, "--map", help=_("CSV columns: timestamp=COL,user=COL,host=COL,bytes=COL.")),
    json_out: Path = typer.Option(None, "--json", help=_("Also write the run report to this JSON file.")),
    add_shadow: list[str] = typer.Option(None, "--add-shadow",
                                         help=_("Add this catalogue service to the register as a shadow application.")),
    threads: int = typer.Option(None, help=_("Threads for the Squid reader (default: all cores).")),
    top: int = typer.Option(40, "--top", min=1, help=_("Rows shown in each table (the rest is counted).")),
    show_all: bool = typer.Option(False, "--all", help=_("Show every row of every table.")),
    internal: list[str] = typer.Option(None, "--internal-domain",
                                       help=_("A domain of the organization (intranet, Active Directory): its hosts "
                                              "are ignored. Adds to the workspace's discovery settings.")),
    link: list[str] = typer.Option(None, "--link",
                                   help=_("SERVICE=APPLICATION: this register application is that catalogue "
                                          "service (recorded for the next runs).")),
) -> None:
    input_files_or_exit(logs or [])
    setup_django()
    from django.utils.translation import gettext as _

    from mue.core.changelog import change_context
    from mue.discovery.catalogue import for_workspace
    from mue.discovery.readers import UnknownFormat
    from mue.discovery.runner import report_document, run_discovery
    from mue.discovery.shadow import NotAnApplication, NotInCatalogue, add_shadow_application, link_application

    ws = workspace_or_exit(workspace, "audit")
    if not logs and not add_shadow and not link:
        raise fail(_("give log files, or --add-shadow SERVICE, or --link SERVICE=APPLICATION"), ExitCode.USAGE)
    for pair in link or []:
        service_id, _sep, slug = pair.partition("=")
        if not service_id.strip() or not slug.strip():
            raise fail(_("--link expects SERVICE=APPLICATION, got %(value)r") % {"value": pair}, ExitCode.USAGE)
        try:
            with change_context(actor_name="cli", source="cli", message="mue discover --link"):
                application = link_application(ws, service_id.strip(), slug.strip(), for_workspace(ws.id))
        except NotInCatalogue:
            raise fail(_("no service '%(service)s' in the catalogue (see mue catalogue --search)")
                       % {"service": service_id}, ExitCode.NOT_FOUND) from None
        except LookupError:
            raise fail(_("no application '%(slug)s' in the register") % {"slug": slug}, ExitCode.NOT_FOUND) from None
        console.print(_("%(service)s is now recognised as the register application %(slug)s")
                      % {"service": service_id, "slug": application.slug})
    for path in logs or []:
        if not path.is_file():
            raise fail(_("no file %(path)s") % {"path": path}, ExitCode.NOT_FOUND)
    if internal:
        from mue.discovery.store import settings_for

        # Recorded for the next runs: the organization's domains do not change from one log to the next.
        found = settings_for(ws)
        found.internal_domains = sorted({*(found.internal_domains or []), *(d.strip(".").lower() for d in internal)})
        found.save(update_fields=["internal_domains"])
    if logs:
        total = sum(p.stat().st_size for p in logs)
        columns = [TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                   TimeRemainingColumn()]
        with Progress(*columns, console=err_console, transient=True) as bar:
            task = bar.add_task(_("Reading logs"), total=total)
            try:
                run, report = run_discovery(ws, list(logs), fmt=fmt, mapping=mapping,
                                            progress=lambda n: bar.advance(task, n), threads=threads)
            except (UnknownFormat, ValueError) as exc:
                raise fail(str(exc), ExitCode.INVALID_INPUT) from None
        _print_report(run, report, None if show_all else top)
        if json_out:
            json_out.write_text(json.dumps(report_document(run, report), indent=2, ensure_ascii=False, default=str),
                                encoding="utf-8")
    if add_shadow:
        catalogue = for_workspace(ws.id)
        with change_context(actor_name="cli", source="cli", message="mue discover --add-shadow"):
            for service_id in add_shadow:
                try:
                    application, created = add_shadow_application(ws, service_id, catalogue)
                except NotInCatalogue:
                    raise fail(_("no service '%(service)s' in the catalogue (see mue catalogue --search)")
                               % {"service": service_id}, ExitCode.NOT_FOUND) from None
                except NotAnApplication as exc:
                    raise fail(_("%(service)s is not an application (%(kind)s): it is not added to the register")
                               % {"service": service_id, "kind": _(KINDS[exc.kind])}, ExitCode.INVALID_INPUT) from None
                if created:
                    done = _("%(service)s: added as shadow application %(slug)s")
                else:
                    done = _("%(service)s: already in the register as %(slug)s")
                console.print(done % {"service": service_id, "slug": f"[bold]{application.slug}[/]"})


def _more(shown: int, total: int) -> None:
    from django.utils.translation import ngettext

    if total > shown:
        console.print("[dim]%s[/]" % (ngettext(  # noqa: UP031 (the translation is made before it is styled)
            "... and %(count)s more row not shown (--top N or --all).",
            "... and %(count)s more rows not shown (--top N or --all).", total - shown) % {"count": total - shown}))


def _print_accounting(accounting: dict) -> None:
    from django.utils.translation import gettext as _

    ignored = sum(accounting["ignored"].values())
    console.print(_("Every line accounted for: %(lines)s read = %(matched)s matched + %(unknown)s unknown + "
                    "%(ignored)s ignored + %(malformed)s malformed.") % {
        "lines": f"{accounting['lines']:,}", "matched": f"{accounting['matched']:,}",
        "unknown": f"{accounting['unknown']:,}", "ignored": f"{ignored:,}",
        "malformed": f"{accounting['malformed']:,}"})
    label = _("ignored")
    for reason, n in sorted(accounting["ignored"].items(), key=lambda kv: -kv[1]):
        console.print(f"  [dim]{label}:[/] {_(reason)}: {n:,}", highlight=False)
    if accounting.get("unaccounted"):
        console.print("[red]%s[/]" % (_("%(count)s lines not accounted for (a reader miscounted: please report it)")  # noqa: UP031
                                      % {"count": f"{accounting['unaccounted']:,}"}))


def _print_report(run, report: dict, top: int | None) -> None:
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    files = len(report["files"])
    console.print(ngettext("Run %(id)s: %(lines)s lines in %(files)s file, %(bytes)s, %(seconds)ss "
                           "(%(rate)s lines/s, reading, matching and storing); %(malformed)s malformed.",
                           "Run %(id)s: %(lines)s lines in %(files)s files, %(bytes)s, %(seconds)ss "
                           "(%(rate)s lines/s, reading, matching and storing); %(malformed)s malformed.", files) % {
        "id": run.id, "lines": f"{report['lines']:,}", "files": files,
        "bytes": _size(report["bytes_read"]), "seconds": report["seconds"],
        "rate": f"{report['lines_per_second'] or 0:,}", "malformed": f"{report['malformed']:,}"})
    _print_accounting(report["accounting"])
    for warning in report["warnings"]:
        console.print(f"[yellow]{warning}[/]")
    for sample in report["malformed_samples"]:
        where = f"{sample['file']}:{sample['line']}" if sample.get("line") else sample["file"]
        # The log text is shown as is (no markup read in it); only the place is dimmed.
        console.print(Text.assemble(("  " + where, "dim"), f" {_(sample['reason'])}: {sample.get('text', '')}"),
                      highlight=False)
    rows = report["service_list"]
    apps = [r for r in rows if r["kind"] == "application"]
    other = [r for r in rows if r["kind"] != "application"]
    table = Table(_("service"), _("category"), _("users"), _("requests"), _("volume"), _("risk"), _("register"),
                  title=_("Applications in use"))
    shadow = "[red]%s[/]" % _("shadow")  # noqa: UP031 (the translation is made before it is styled)
    for r in apps[:top]:
        table.add_row(r["service"], r["category"], str(r["users"]), f"{r['requests']:,}", _size(r["bytes"]),
                      "" if r["risk"] is None else str(r["risk"]),
                      r["application"]["slug"] if r["application"] else shadow)
    console.print(table)
    _more(len(apps[:top]), len(apps))
    if other:
        table = Table(_("service"), _("vendor"), _("kind"), _("users"), _("requests"), _("volume"),
                      title=_("Other traffic (not applications, never shadow IT)"))
        for r in other[:top]:
            table.add_row(r["service"], r["vendor"], _(KINDS.get(r["kind"], r["kind"])), str(r["users"]),
                          f"{r['requests']:,}", _size(r["bytes"]))
        console.print(table)
        _more(len(other[:top]), len(other))
    unknown_rows = report["unknown_domains"]
    if unknown_rows:
        unknown = Table(_("domain"), _("requests"), _("users"), title=_("Unknown domains"))
        for row in unknown_rows[:top]:
            unknown.add_row(row["domain"], f"{row['requests']:,}", str(row["users"]))
        console.print(unknown)
        _more(len(unknown_rows[:top]), len(unknown_rows))


@app.command(help=_("Show the SaaS catalogue discovery matches hosts against (with risk scores)."))
def catalogue(
    search: str = typer.Option(None, "--search", "-s", help=_("Filter on id, name, vendor, category or domain.")),
    workspace: str = typer.Option(None, "--workspace", "-w", help=_("Include this workspace's own entries.")),
    import_file: Path = typer.Option(None, "--import",
                                     help=_("Add or replace the workspace's entries from a YAML file.")),
) -> None:
    setup_django(database=False)
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from mue.discovery.catalogue import for_workspace
    from mue.discovery.risk import score

    ws = workspace_or_exit(workspace, "audit") if workspace else None
    if import_file:
        if ws is None:
            raise fail(_("--import needs --workspace"), ExitCode.USAGE)
        from mue.discovery.workspace_catalogue import CatalogueFileError, import_entries

        try:
            count = import_entries(ws, import_file)
        except CatalogueFileError as exc:
            raise fail(str(exc), ExitCode.INVALID_INPUT) from None
        console.print(ngettext("%(count)s catalogue entry imported.", "%(count)s catalogue entries imported.", count)
                      % {"count": count})
    cat = for_workspace(ws.id if ws else None)
    services = cat.search(search) if search else list(cat)
    weights, overrides = {}, {}
    if ws is not None:
        from mue.discovery.models import RiskOverride
        from mue.discovery.store import settings_for

        weights = settings_for(ws).risk_weights
        overrides = {o.service_id: (o.score, o.note) for o in RiskOverride.objects.filter(workspace=ws)}
    table = Table(_("id"), _("name"), _("vendor"), _("country"), _("category"), _("risk"), _("domains"))
    for s in sorted(services, key=lambda s: s.id):
        risk = score(s, weights, overrides.get(s.id))
        table.add_row(s.id, s.name, s.vendor, s.vendor_country, s.category,
                      f"{risk.score}{'*' if risk.overridden else ''}",
                      ", ".join(s.domains[:3]) + (" ..." if len(s.domains) > 3 else ""))
    console.print(table)
    console.print(ngettext("%(count)s service.", "%(count)s services.", len(services)) % {"count": len(services)})
