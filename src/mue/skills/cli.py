"""``mue skills -w W``: the team heat map as a table, and the bus factor of each critical service.

Assessments and requirements are imported like any register type, through the map
(``mue import`` of a file with ``skill_assessments`` and ``skill_requirements``, or their CSV/XLSX
templates from ``mue template``).
"""

from __future__ import annotations

import json
import sys

import typer
from rich.table import Table

from mue.cli.app import ExitCode, _, app, console, fail, setup_django, workspace_option, workspace_or_exit

WORKSPACE = workspace_option()


def _level(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


@app.command(help=_("Skills: the heat map of assessed DigComp levels (units, or one unit's people, × areas) and "
                    "the bus factor of each critical service."))
def skills(
    workspace: str = WORKSPACE,
    unit: str = typer.Option(None, "--unit", help=_("Show this unit's people instead of every unit (its slug).")),
    min_criticality: int = typer.Option(3, "--min-criticality", min=1, max=4,
                                        help=_("Bus factors of the services of at least this criticality.")),
    as_json: bool = typer.Option(False, "--json", help=_("Print JSON instead of tables.")),
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.organization.models import Unit
    from mue.skills.analysis import bus_factors, heat_map

    ws = workspace_or_exit(workspace)
    chosen = None
    if unit:
        chosen = Unit.objects.filter(workspace=ws, slug=unit).first()
        if chosen is None:
            raise fail(_("no unit '%(unit)s' in workspace '%(workspace)s'") % {"unit": unit, "workspace": ws.slug},
                       ExitCode.NOT_FOUND)
    hm = heat_map(ws, chosen)
    rows = bus_factors(ws, min_criticality)
    if as_json:
        data = {
            "workspace": ws.slug, "unit": chosen.slug if chosen else None,
            "areas": [{"code": code, "title": title} for code, title in hm.areas],
            "heat_map": [{"slug": slug, "name": name, "people": count,
                          "levels": {code: hm.value(slug, code) for code, _t in hm.areas}}
                         for slug, name, count in hm.rows],
            "bus_factors": [{"service": r.service.slug, "criticality": r.service.criticality,
                             "bus_factor": r.bus_factor, "measured": r.measured,
                             "people": [p.slug for p in r.people]} for r in rows],
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    if hm.rows:
        table = Table(title=_("Mean assessed level (1 to 8) per DigComp area"))
        table.add_column(_("person") if chosen else _("unit"), overflow="fold")
        if not chosen:
            table.add_column(_("people"), justify="right")
        for code, title in hm.areas:
            table.add_column(f"{code}. {title}", justify="right", overflow="fold")
        for slug, name, count in hm.rows:
            cells = [_level(hm.value(slug, code)) for code, _t in hm.areas]
            table.add_row(name, *([] if chosen else [str(count)]), *cells)
        console.print(table)
    else:
        console.print(_("No skill assessment yet in this workspace."))
    if not rows:
        console.print(_("No live service of criticality ≥ %(level)s.") % {"level": min_criticality})
        return
    bus = Table(title=_("Bus factor of the critical services (1 is a finding)"))
    for header in (_("service"), _("criticality"), _("bus factor"), _("counted from"), _("who")):
        bus.add_column(header, overflow="fold")
    for row in rows:
        flag = f"[bold red]{row.bus_factor}[/]" if row.bus_factor <= 1 else str(row.bus_factor)
        bus.add_row(row.service.slug, str(row.service.criticality), flag,
                    _("assessed levels") if row.measured else _("people named"),
                    ", ".join(p.slug for p in row.people) or "—")
    console.print(bus)
