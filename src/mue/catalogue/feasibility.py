"""Can each promised level be kept? The levels of the catalogue checked against the dependency graph.

For every service level agreement, what the service rests on is the reverse impact of the service in
:mod:`mue.graph` (applications it uses, those they depend on, the assets and hosts they run on, the
vendors of its SaaS), each with the shortest path that explains it. A level is **not feasible**
(a *breach*) when:

* ``single-machine`` — its availability target is above :data:`SINGLE_MACHINE_LIMIT` while a single
  machine is a single point of failure of the service (:func:`mue.graph.spof.failure_sets`);
* ``provider-availability`` — a contract covering the service or an application it rests on
  promises a lower availability;
* ``provider-rto`` — such a contract promises a restore time longer than the RTO promised;
* ``restore-time`` — the latest restore test (or backup-restore document) of the service, of an
  application or of an asset it rests on states a restore time longer than the RTO promised;
* ``support-hours`` — the hours of support promised are wider than those of the support team, or
  of the support of a contract covering what the service rests on;
* ``no-contract`` — the service rests on a vendor (a SaaS application's) with no contract at all.

Each breach names the weakest dependency (the one furthest from the promise) and the path from the
service to it. The page of a service, the contract of a unit and the audit rules CON-010 to CON-015
all read :func:`check_levels`: one definition of feasibility. It costs the graph's constant number
of queries plus five, whatever the number of agreements.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mue.catalogue.models import RestoreTest, ServiceLevel
from mue.core.models import Workspace
from mue.graph.build import Graph, build_graph
from mue.graph.spof import failure_sets
from mue.graph.traverse import impact
from mue.vendors.choices import HOURS_PER_WEEK, Hours
from mue.vendors.models import Contract

#: A single machine, with its restores, seldom does better than 99.5 % over a year (some 44 hours
#: of outage): a promise above this resting on one machine cannot be kept.
SINGLE_MACHINE_LIMIT = Decimal("99.5")


class Check(TextChoices):
    SINGLE_MACHINE = "single-machine", gettext_lazy("Availability resting on a single machine")
    PROVIDER_AVAILABILITY = "provider-availability", gettext_lazy("Provider promises a lower availability")
    PROVIDER_RTO = "provider-rto", gettext_lazy("Provider restores more slowly than the RTO")
    RESTORE_TIME = "restore-time", gettext_lazy("Restore takes longer than the RTO")
    SUPPORT_HOURS = "support-hours", gettext_lazy("Support hours wider than the support behind them")
    NO_CONTRACT = "no-contract", gettext_lazy("Level resting on a vendor without contract")


MESSAGES = {
    Check.SINGLE_MACHINE: lambda: _("%(promised)s availability promised, but the service stops whenever "
                                    "%(weakest)s stops (%(stated)s)"),
    Check.PROVIDER_AVAILABILITY: lambda: _("%(promised)s availability promised, %(weakest)s promises %(stated)s"),
    Check.PROVIDER_RTO: lambda: _("RTO of %(promised)s promised, %(weakest)s restores within %(stated)s"),
    Check.RESTORE_TIME: lambda: _("RTO of %(promised)s promised, %(weakest)s states a restore in %(stated)s"),
    Check.SUPPORT_HOURS: lambda: _("Support promised: %(promised)s; %(weakest)s answers: %(stated)s"),
    Check.NO_CONTRACT: lambda: _("The service rests on %(weakest)s, with which there is %(stated)s"),
}


@dataclass(frozen=True)
class Hop:
    """One object on the path from the service to its weakest dependency."""

    key: str  # type:slug
    name: str


@dataclass
class Breach:
    """A promised level that what the service rests on cannot deliver."""

    check: str
    level_id: int
    level_slug: str
    service_slug: str
    service_name: str
    promised: str
    stated: str
    weakest: Hop
    path: list[Hop] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(Check(self.check).label)

    @property
    def message(self) -> str:
        """The breach in one sentence, in the active language."""
        return MESSAGES[self.check]() % {"promised": self.promised, "weakest": self.weakest.name,
                                         "stated": self.stated}

    @property
    def path_text(self) -> str:
        return " → ".join(h.name for h in self.path)

    def as_evidence(self) -> dict:
        return {"check": str(self.check), "promised": self.promised, "stated": self.stated,
                "weakest": self.weakest.key, "weakest_name": self.weakest.name,
                "path": [h.key for h in self.path]}


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f} %"


def _hours(value: int) -> str:
    return _("%(hours)s h") % {"hours": value}


def _window(value: str) -> str:
    return str(Hours(value).label)


@dataclass
class _Context:
    graph: Graph
    contracts_of_app: dict[int, list[Contract]]
    contracts_of_service: dict[int, list[Contract]]
    vendors_with_contract: set[int]
    restore_tests: dict[tuple[str, int], RestoreTest]


def _load(workspace: Workspace) -> _Context:
    graph = build_graph(workspace)
    contracts = {c.pk: c for c in Contract.objects.filter(workspace=workspace).only(
        "id", "slug", "name", "vendor_id", "availability_percent", "rto_hours", "support_hours")}
    of_app: dict[int, list[Contract]] = defaultdict(list)
    for app_id, contract_id in Contract.applications.through.objects.filter(
            contract__workspace=workspace).values_list("application_id", "contract_id"):
        of_app[app_id].append(contracts[contract_id])
    of_service: dict[int, list[Contract]] = defaultdict(list)
    for service_id, contract_id in Contract.services.through.objects.filter(
            contract__workspace=workspace).values_list("service_id", "contract_id"):
        of_service[service_id].append(contracts[contract_id])
    # The latest test per object (an untested-date row counts as the oldest).
    latest: dict[tuple[str, int], RestoreTest] = {}
    for test in RestoreTest.objects.filter(workspace=workspace).only(
            "id", "slug", "name", "service_id", "application_id", "asset_id", "tested_on", "restore_hours"):
        for kind, target in (("service", test.service_id), ("application", test.application_id),
                             ("asset", test.asset_id)):
            if target is None:
                continue
            seen = latest.get((kind, target))
            if seen is None or (test.tested_on or dt.date.min) >= (seen.tested_on or dt.date.min):
                latest[(kind, target)] = test
    vendors = {c.vendor_id for c in contracts.values() if c.vendor_id}
    return _Context(graph, of_app, of_service, vendors, latest)


def check_levels(workspace: Workspace, levels: list[ServiceLevel] | None = None) -> list[Breach]:
    """Every breach of the workspace's agreements (or of ``levels``), by service then check."""
    if levels is None:
        levels = list(ServiceLevel.objects.filter(workspace=workspace, service__isnull=False)
                      .select_related("service", "support_team")
                      .order_by("service__name", "slug"))
    if not levels:
        return []
    ctx = _load(workspace)
    g = ctx.graph
    nodes = {lv.pk: g.find("service", lv.service.slug) for lv in levels}
    spof_roots = [n for lv in levels if (n := nodes[lv.pk]) is not None
                  and lv.availability_target is not None and lv.availability_target > SINGLE_MACHINE_LIMIT]
    sets = failure_sets(g, spof_roots) if spof_roots else {}
    breaches: list[Breach] = []
    for level in levels:
        node = nodes[level.pk]
        if node is not None:
            breaches.extend(_check_one(ctx, level, node, sets.get(node, frozenset())))
    return breaches


def _check_one(ctx: _Context, level: ServiceLevel, node: int, single_failures: frozenset[int]) -> list[Breach]:
    g = ctx.graph
    rests_on = impact(g, node, reverse=True, include_data=False)

    def path_to(target: int) -> list[Hop]:
        return [Hop(g.key(s.node), g.names[s.node]) for s in rests_on.path(target)]

    def hop(target: int) -> Hop:
        return Hop(g.key(target), g.names[target])

    service = level.service
    made: list[Breach] = []

    def breach(check: str, promised: str, stated: str, weakest: Hop, path: list[Hop]) -> None:
        made.append(Breach(check, level.pk, level.slug, service.slug, service.name, promised, stated, weakest, path))

    applications = [int(n) for n in rests_on.of_type("application")]
    assets = [int(n) for n in rests_on.of_type("asset")]
    # Contracts covering the service itself (path: the service) or an application it rests on.
    covering: list[tuple[Contract, list[Hop]]] = [
        (c, [hop(node)]) for c in ctx.contracts_of_service.get(service.pk, [])]
    for app in applications:
        covering += [(c, path_to(app)) for c in ctx.contracts_of_app.get(int(g.ids[app]), [])]

    def contract_hop(contract: Contract) -> Hop:
        return Hop(f"contract:{contract.slug}", contract.name)

    target = level.availability_target
    if target is not None and target > SINGLE_MACHINE_LIMIT:
        machines = [n for n in assets if n in single_failures]
        if machines:
            weakest = max(machines, key=lambda n: (int(rests_on.depth[n]), -n))  # the physical host under VMs
            breach(Check.SINGLE_MACHINE, _percent(target), _("a single machine"), hop(weakest), path_to(weakest))
    if target is not None:
        lower = [(c, p) for c, p in covering if c.availability_percent is not None and c.availability_percent < target]
        if lower:
            c, p = min(lower, key=lambda cp: (cp[0].availability_percent, cp[0].slug))
            breach(Check.PROVIDER_AVAILABILITY, _percent(target), _percent(c.availability_percent),
                   contract_hop(c), [*p, contract_hop(c)])
    rto = level.effective_rto
    if rto is not None:
        slower = [(c, p) for c, p in covering if c.rto_hours is not None and c.rto_hours > rto]
        if slower:
            c, p = max(slower, key=lambda cp: (cp[0].rto_hours, cp[0].slug))
            breach(Check.PROVIDER_RTO, _hours(rto), _hours(c.rto_hours),
                   contract_hop(c), [*p, contract_hop(c)])
        tests = [(t, [hop(node)]) for t in [ctx.restore_tests.get(("service", service.pk))] if t]
        for kind, found in (("application", applications), ("asset", assets)):
            for n in found:
                t = ctx.restore_tests.get((kind, int(g.ids[n])))
                if t:
                    tests.append((t, path_to(n)))
        too_long = [(t, p) for t, p in tests if t.restore_hours > rto]
        if too_long:
            t, p = max(too_long, key=lambda tp: (tp[0].restore_hours, tp[0].slug))
            test_hop = Hop(f"restore_test:{t.slug}", t.name)
            breach(Check.RESTORE_TIME, _hours(rto), _hours(t.restore_hours),
                   test_hop, [*p, test_hop])
    if level.support_hours:
        wanted = HOURS_PER_WEEK[level.support_hours]
        behind: list[tuple[str, Hop, list[Hop]]] = []
        team = level.support_team
        if team is not None:
            team_hop = Hop(f"support_team:{team.slug}", team.name)
            behind.append((team.support_hours, team_hop, [hop(node), team_hop]))
        behind += [(c.support_hours, contract_hop(c), [*p, contract_hop(c)]) for c, p in covering if c.support_hours]
        narrower = [b for b in behind if HOURS_PER_WEEK[b[0]] < wanted]
        if narrower:
            # The team first on a tie: the promise is the team's to keep before a provider's.
            hours, weakest, path = min(narrower, key=lambda b: HOURS_PER_WEEK[b[0]])
            breach(Check.SUPPORT_HOURS, _window(level.support_hours), _window(hours), weakest, path)
    for party in rests_on.of_type("party"):
        if g.subkinds[party] == "vendor" and int(g.ids[party]) not in ctx.vendors_with_contract:
            breach(Check.NO_CONTRACT, _("a level promised by IT"), _("no contract"), hop(party), path_to(party))
            break
    return made


def breaches_by_level(breaches: list[Breach]) -> dict[int, list[Breach]]:
    out: dict[int, list[Breach]] = defaultdict(list)
    for b in breaches:
        out[b.level_id].append(b)
    return out
