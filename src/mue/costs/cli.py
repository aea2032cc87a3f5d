"""Commands of costs: ``mue costs`` (total cost of ownership) and ``mue renewals`` (the renewal calendar)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum

import typer
from rich.table import Table

from mue.cli.app import _, app, console, setup_django, workspace_option, workspace_or_exit

WORKSPACE = workspace_option()
JSON = typer.Option(False, "--json", help=_("Print JSON instead of tables."))


class By(StrEnum):
    service = "service"
    unit = "unit"
    application = "application"
    vendor = "vendor"


def _print_json(data: dict) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _amount(value) -> str:
    from django.utils import formats

    return formats.number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


@app.command(help=_("Total cost of ownership of a workspace in a year: per service, unit, application or vendor, "
                    "with the trend, the cost per inhabitant, duplicated tools and licences paid for nobody."))
def costs(
    workspace: str = WORKSPACE,
    by: By = typer.Option(By.service, "--by", help=_("What to total the costs by.")),
    year: int = typer.Option(None, "--year", min=1900, max=2200,
                             help=_("The year (default: this year, or the latest year with costs).")),
    as_json: bool = JSON,
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.costs.tco import compute

    ws = workspace_or_exit(workspace)
    report = compute(ws, year)
    if as_json:
        _print_json({"workspace": ws.slug, **report.as_dict()})
        return
    if report.year is None:
        console.print(_("No cost line in %(workspace)s yet: add them (mue import, or the web pages) to see what "
                        "each service costs.") % {"workspace": ws.slug}, highlight=False)
        return
    headers = {By.service: _("Service"), By.unit: _("Unit"), By.application: _("Application"),
               By.vendor: _("Vendor")}
    empty = {By.service: _("(not attributed to a service)"), By.unit: _("(no unit served)"),
             By.application: _("(no application)"), By.vendor: _("(no vendor known)")}
    table = Table(title=_("Cost %(year)s by %(by)s (%(currency)s)") % {
        "year": report.year, "by": headers[by].lower(), "currency": report.currency})
    table.add_column(headers[by], overflow="fold")
    table.add_column(_("Cost"), justify="right")
    with_users = by in (By.service, By.application)
    if with_users:
        table.add_column(_("Users"), justify="right")
        table.add_column(_("Per user"), justify="right")
    if by == By.unit:
        table.add_column(_("Paid by the unit"), justify="right")
    table.add_column(_("Previous year"), justify="right")
    for row in report.rows[by.value]:
        cells = [f"{row.name} ({row.slug})" if row.slug else empty[by], _amount(row.amount)]
        if with_users:
            cells += [str(row.users) if row.users is not None else "—",
                      f"{row.per_user:.2f}" if row.per_user is not None else "—"]
        if by == By.unit:
            cells.append(_amount(row.paid or 0))
        cells.append(_amount(row.previous) if row.previous is not None else "—")
        table.add_row(*cells)
    console.print(table)
    change = f" ({'+' if report.change > 0 else ''}{report.change} %)" if report.change is not None else ""
    console.print(_("Total %(year)s: %(total)s %(currency)s%(change)s") % {
        "year": report.year, "total": _amount(report.total), "currency": report.currency, "change": change},
        highlight=False)
    if report.per_inhabitant is not None:
        console.print(_("Per inhabitant: %(amount)s %(currency)s (%(population)s inhabitants)") % {
            "amount": f"{report.per_inhabitant:.2f}", "currency": report.currency,
            "population": report.population}, highlight=False)
    console.print(_("Over the years: %(trend)s") % {
        "trend": ", ".join(f"{y}: {_amount(report.totals[y])}" for y in report.years)}, highlight=False)
    for d in report.duplicates:
        console.print(_("Duplicated tools in %(category)s: %(tools)s, together %(total)s %(currency)s") % {
            "category": d.label, "tools": ", ".join(t["name"] for t in d.tools), "total": _amount(d.total),
            "currency": report.currency}, highlight=False)
    for w in report.waste:
        console.print(_("Licences paid for nobody in %(app)s: %(unused)s of %(seats)s seats unused (peak of "
                        "%(active)s active users), %(amount)s %(currency)s") % {
            "app": w.name, "unused": w.unused, "seats": w.seats, "active": w.active, "amount": _amount(w.amount),
            "currency": report.currency}, highlight=False)
    if report.other_currencies:
        console.print(_("%(count)s cost line(s) in another currency left out (never converted).")
                      % {"count": report.other_currencies}, highlight=False)


@app.command(help=_("The renewal calendar: when each contract ends and the last day to give notice, by month."))
def renewals(
    workspace: str = WORKSPACE,
    months: int = typer.Option(None, "--months", min=1, max=120,
                               help=_("Only what falls within that many months (default: everything ahead).")),
    as_json: bool = JSON,
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.costs.renewals import by_month
    from mue.costs.renewals import renewals as find_renewals

    ws = workspace_or_exit(workspace)
    today = dt.date.today()
    items = find_renewals(ws, today=today, months=months)
    if as_json:
        _print_json({"workspace": ws.slug, "today": today.isoformat(),
                     "renewals": [r.as_dict() for r in items]})
        return
    if not items:
        console.print(_("No contract end ahead in %(workspace)s: give the contracts their end date and notice "
                        "period.") % {"workspace": ws.slug}, highlight=False)
        return
    table = Table(title=_("Renewal calendar of %(workspace)s") % {"workspace": ws.name})
    table.add_column(_("Month"), no_wrap=True)
    table.add_column(_("Last day to give notice"), no_wrap=True)
    table.add_column(_("Days left"), justify="right", no_wrap=True)
    table.add_column(_("Contract"), overflow="fold", ratio=3)
    table.add_column(_("Vendor"), overflow="fold", ratio=1)
    table.add_column(_("Contract end"), no_wrap=True)
    table.add_column(_("Tacit renewal"), no_wrap=True)
    for month, group in by_month(items):
        for index, r in enumerate(group):
            end = r.end.isoformat() + (" *" if r.rolled else "")
            table.add_row(month.strftime("%Y-%m") if index == 0 else "", r.deadline.isoformat(),
                          str(r.days_left), f"{r.name} ({r.slug})", r.vendor or "—", end,
                          _("yes") if r.tacit_renewal else _("no"))
    console.print(table)
    if any(r.rolled for r in items):
        console.print(_("* computed: the stated end has passed and the contract renews itself by its term."),
                      highlight=False)
