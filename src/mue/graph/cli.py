"""Commands of the dependency graph: ``mue impact``, ``mue lineage``, ``mue spof`` and ``mue graph``."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import typer
from rich.table import Table

from mue.cli.app import ExitCode, _, app, console, err_console, fail, setup_django, workspace_option, workspace_or_exit

WORKSPACE = workspace_option()
JSON = typer.Option(False, "--json", help=_("Print JSON instead of tables."))


def _load(workspace: str):
    """The workspace and its graph; exits with NOT_FOUND when the workspace does not exist."""
    from mue.graph.build import build_graph

    ws = workspace_or_exit(workspace)
    return ws, build_graph(ws)


def _node(graph, reference: str, type_name: str | None) -> int:
    from mue.graph.resolve import ResolveError, resolve

    try:
        return resolve(graph, reference, type_name)
    except ResolveError as exc:
        raise fail(exc.message, ExitCode.USAGE if exc.candidates else ExitCode.NOT_FOUND) from None


def _print_json(data: dict) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _table(*headers: str) -> Table:
    """A table whose values wrap (fold) instead of being cut: slugs are what one types next."""
    table = Table()
    for header in headers:
        table.add_column(header, overflow="fold", no_wrap=False, min_width=len(header))  # nothing cut: values wrap
    return table


def _chain(items: list[dict], key: str = "object") -> str:
    return " → ".join(item[key].split(":", 1)[1] for item in items)


#: Rows of each section ``mue impact`` prints before its summary (``--all`` for every row).
IMPACT_ROWS = 20


@app.command(help=_("What stops if an object fails, and apart what only loses a data feed from it (or, with "
                    "--reverse, what it rests on and where its data comes from), with the paths."))
def impact(
    reference: str = typer.Argument(..., metavar="SLUG", help=_("The object: type:slug, or a slug when unambiguous.")),
    workspace: str = WORKSPACE,
    type_name: str = typer.Option(None, "--type", "-t", help=_("Type of the object (service, application, asset...).")),
    as_json: bool = JSON,
    reverse: bool = typer.Option(False, "--reverse", help=_("Show what the object depends on instead.")),
    data: bool = typer.Option(True, "--data/--no-data", help=_("Also show what loses a data feed (data flows).")),
    show_all: bool = typer.Option(False, "--all", help=_("List every object reached, not only the first %(rows)s "
                                                          "of each section.") % {"rows": IMPACT_ROWS}),
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.graph.traverse import impact as run_impact

    _ws, graph = _load(workspace)
    node = _node(graph, reference, type_name)
    result = run_impact(graph, node, reverse=reverse, include_data=data)
    if as_json:
        _print_json(result.as_dict())
        return
    title = _("What %(object)s depends on") if reverse else _("What stops if %(object)s fails")
    console.print(f"[bold]{title % {'object': graph.key(node)}}[/] ({graph.names[node]})", highlight=False)
    if not data:
        console.print(_("Data flows not followed (--no-data)."))
    for found, label in ((result.worst_criticality, _("Worst criticality: %(level)s (%(service)s)")),
                         (result.shortest_rto, _("Shortest RTO: %(hours)s h (%(service)s)"))):
        if found:
            value, service = found
            console.print(label % {"level": value, "hours": f"{value:g}", "service": graph.slugs[service]},
                          highlight=False)
    if not len(result.reached):
        console.print(_("Nothing else is reached."))
        return
    if reverse:
        sections = ((result.stopped, _("Rests on (structural dependencies)")),
                    (result.losing_data, _("Receives data from (data flows)")))
    else:
        sections = ((result.stopped, _("Stops (hard dependencies)")),
                    (result.losing_data, _("Loses a data feed (data flows; keeps running)")))
    hidden = 0
    for nodes, heading in sections:
        if not len(nodes) and not data:
            continue
        console.print()
        summary = _summary(result.counts(nodes)) or _("nothing")
        console.print(f"[bold]{heading}[/]: {summary}", highlight=False, soft_wrap=True)
        shown = nodes if show_all else nodes[:IMPACT_ROWS]
        hidden += len(nodes) - len(shown)
        if len(shown):
            console.print(_impact_table([result.describe(int(n)) for n in shown]))
    if hidden:
        console.print(_("%(count)s more not shown: --all lists every object, --json gives them with their paths.")
                      % {"count": hidden}, highlight=False)


def _summary(counts: dict[str, int]) -> str:
    """``3 services, 12 applications``: the objects of a section by type, in the register's words."""
    from mue.core.registry import registry

    parts = []
    for type_name, count in counts.items():
        if count:
            meta = registry.by_singular(type_name).model._meta
            parts.append(f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}")
    return ", ".join(parts)


def _impact_table(items: list[dict]) -> Table:
    from django.utils.translation import gettext as _

    table = _table(_("hops"), _("type"), _("slug"), _("name"), _("criticality"), _("RTO (h)"), _("path"))
    for item in items:
        rto = item.get("rto_hours")
        table.add_row(str(item["hops"]), item["type"], item["slug"], item["name"],
                      str(item.get("criticality") or ""), "" if rto is None or math.isnan(rto) else f"{rto:g}",
                      _chain(item["path"]))
    return table


@app.command(help=_("Where a data category goes through the flows, in how many hops, and where it leaves the EU."))
def lineage(
    category: str = typer.Argument(..., metavar="DATA-CATEGORY", help=_("Slug of the data category.")),
    workspace: str = WORKSPACE,
    as_json: bool = JSON,
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.graph.lineage import UnknownCategory
    from mue.graph.lineage import lineage as run_lineage

    _ws, graph = _load(workspace)
    try:
        result = run_lineage(graph, category)
    except UnknownCategory as exc:
        raise fail(str(exc), ExitCode.NOT_FOUND) from None
    report = result.as_dict()
    if as_json:
        _print_json(report)
        return
    heading = _("Lineage of %(category)s") % {"category": report["category"]["name"]}
    console.print(f"[bold]{heading}[/] ({report['category']['personal_data']})", highlight=False)
    if not report["reached"]:
        console.print(_("No application holds it and no flow carries it."))
        return
    table = _table(_("hops"), _("type"), _("slug"), _("name"), _("country"), _("zone"), _("role"), _("path"))
    for item in report["reached"]:
        role = _("holds") if item["holds"] else (_("origin") if item["origin"] else _("receives"))
        zone = item["zone"]
        styled = f"[bold red]{zone}[/]" if zone in ("conditional", "third-country") else zone
        table.add_row(str(item["hops"]), item["type"], item["slug"], item["name"], item["country"] or "?",
                      styled, role, _chain(item["path"]))
    console.print(table)
    if report["exits"]:
        leaves = _("Leaves the EEA and adequacy countries:")
        console.print(f"[bold red]{leaves}[/]")
        for exit_ in report["exits"]:
            origin = f" ← {exit_['from']} ({exit_['flow']})" if exit_["from"] else ""
            console.print(f"  {exit_['object']} \\[{exit_['country']}, {exit_['zone']}] {exit_['reason']}{origin}",
                          highlight=False)
    else:
        console.print(_("Stays in the EEA and adequacy countries (where locations are known)."))


@app.command(help=_("Single points of failure: applications and assets whose loss alone stops a critical service."))
def spof(
    workspace: str = WORKSPACE,
    as_json: bool = JSON,
    min_criticality: int = typer.Option(3, "--min-criticality", min=1, max=4,
                                        help=_("Consider services of at least this criticality.")),
) -> None:
    setup_django()
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from mue.graph.spof import single_points_of_failure, spof_as_dict

    _ws, graph = _load(workspace)
    report = spof_as_dict(graph, single_points_of_failure(graph, min_criticality))
    if as_json:
        _print_json(report)
        return
    points = report["single_points_of_failure"]
    if not points:
        console.print(_("No single point of failure for services of criticality ≥ %(level)s.")
                      % {"level": min_criticality})
        return
    table = _table(_("type"), _("slug"), _("name"), _("worst"), _("services stopped"), _("path"))
    for point in points:
        first = point["services"][0]
        table.add_row(point["type"], point["slug"], point["name"], str(point["worst_criticality"]),
                      ", ".join(s["slug"] for s in point["services"]), _chain(first["path"]))
    console.print(table)
    console.print(ngettext("%(count)s single point of failure.", "%(count)s single points of failure.", len(points))
                  % {"count": len(points)})


@app.command(help=_("Draw the dependency graph or a data category's lineage: an interactive HTML page, a static SVG, "
                    "and files other tools edit (Mermaid, GraphML for yEd and Gephi, draw.io)."))
def graph(
    workspace: str = WORKSPACE,
    html: Path = typer.Option(None, "--html", help=_("Write the interactive diagram as one self-contained HTML file.")),
    svg: Path = typer.Option(None, "--svg", help=_("Write a static SVG diagram.")),
    mermaid: Path = typer.Option(None, "--mermaid", help=_("Write a Mermaid flowchart (Markdown, wikis).")),
    graphml: Path = typer.Option(None, "--graphml", help=_("Write a GraphML file (yEd, Gephi).")),
    drawio: Path = typer.Option(None, "--drawio", help=_("Write a draw.io (diagrams.net) file.")),
    focus: str = typer.Option(None, "--focus", help=_("Object to focus on: type:slug or a slug.")),
    view: str = typer.Option(None, "--view", help=_("View of the focus: impact or dependencies (default: by type).")),
    lineage: str = typer.Option(None, "--lineage", metavar="DATA-CATEGORY",
                                help=_("Draw the lineage of this data category instead of dependencies.")),
    data: bool = typer.Option(True, "--data/--no-data", help=_("Draw data flows as data dependencies.")),
) -> None:
    setup_django()
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from mue.graph.formats import lineage_selection, render
    from mue.graph.html import export_html
    from mue.graph.lineage import UnknownCategory
    from mue.graph.lineage import lineage as run_lineage
    from mue.graph.svg import default_selection, render_svg

    files = {"svg": svg, "mermaid": mermaid, "graphml": graphml, "drawio": drawio}
    if html is None and not any(files.values()):
        raise fail(_("say where to write: --html, --svg, --mermaid, --graphml and/or --drawio FILE"), ExitCode.USAGE)
    if view not in (None, "impact", "dependencies"):
        raise fail(_("--view is impact or dependencies"), ExitCode.USAGE)
    if lineage and (focus or html is not None):
        raise fail(_("--lineage draws one data category: without --focus and --html"), ExitCode.USAGE)
    ws, the_graph = _load(workspace)
    node = _node(the_graph, focus, None) if focus else None
    if html is not None:
        export_html(the_graph, html, focus=node, workspace_name=ws.name)
        err_console.print(_("Interactive graph written to %(path)s") % {"path": html}, highlight=False)
    if lineage:
        try:
            selection = lineage_selection(the_graph, run_lineage(the_graph, lineage))
        except UnknownCategory as exc:
            raise fail(str(exc), ExitCode.NOT_FOUND) from None
    else:
        selection = default_selection(the_graph, node, view, include_data=data)
    for fmt, path in files.items():
        if path is None:
            continue
        text = render_svg(the_graph, selection) if fmt == "svg" else render(fmt, the_graph, selection)
        path.write_text(text, encoding="utf-8")
        err_console.print(ngettext("%(format)s written to %(path)s (%(count)s object)",
                                   "%(format)s written to %(path)s (%(count)s objects)", len(selection.nodes))
                          % {"format": FORMAT_NAMES[fmt], "path": path, "count": len(selection.nodes)},
                          highlight=False)


FORMAT_NAMES = {"svg": "SVG", "mermaid": "Mermaid", "graphml": "GraphML", "drawio": "draw.io"}
