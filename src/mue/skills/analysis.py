"""What the skills data says, as SQL: who is competent for a service, its bus factor, the heat map.

**Competent for a service**: a person whose assessed level reaches every level the service requires.
**Knows a service** (its bus factor counts them): when the service declares requirements, the people
competent for it; when it declares none, the people named on it who run its applications — its IT
owner (the administrator), its backup owner and the owners of its applications. Declared
requirements replace the presumption of the named roles by a measure; a business owner is not
presumed to run the software.

Everything here is querysets and expressions, so a rule stays a few queries whatever the size.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from mue.core.models import Workspace
from mue.organization.models import Person, Unit
from mue.services.models import Service
from mue.skills.digcomp import framework
from mue.skills.models import Assessment, Requirement

ServiceApps = Service.applications.through


def _count(people: QuerySet) -> Coalesce:
    """The number of rows of a correlated ``Person`` subquery, 0 when none."""
    counted = people.order_by().values("workspace").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def competent_people() -> QuerySet:
    """People of the outer service's workspace meeting each of its requirements (correlated on a Service)."""
    lacking = Requirement.objects.filter(service=OuterRef(OuterRef("pk"))).exclude(
        Exists(Assessment.objects.filter(person=OuterRef(OuterRef("pk")), competence=OuterRef("competence"),
                                         level__gte=OuterRef("level"))))
    return Person.objects.filter(workspace=OuterRef("workspace")).filter(
        Exists(Assessment.objects.filter(person=OuterRef("pk")))).exclude(Exists(lacking))


def named_people() -> QuerySet:
    """People named as running the outer service: IT owner, backup owner, owners of its applications."""
    owns_app = ServiceApps.objects.filter(service_id=OuterRef(OuterRef("pk")), application__owner_id=OuterRef("pk"))
    return Person.objects.filter(workspace=OuterRef("workspace")).filter(
        Q(pk=OuterRef("it_owner_id")) | Q(pk=OuterRef("backup_owner_id")) | Exists(owns_app))


def with_bus_factor(services: QuerySet) -> QuerySet:
    """Services annotated with ``has_requirements``, ``competent`` (count), ``named`` (count) and
    ``bus_factor``: the competent people when requirements are declared, else the named ones."""
    return services.annotate(
        has_requirements=Exists(Requirement.objects.filter(service=OuterRef("pk"))),
        competent=_count(competent_people()),
        named=_count(named_people()),
    ).annotate(bus_factor=Case(When(has_requirements=True, then="competent"), default="named",
                               output_field=IntegerField()))


def only_competent_person(field: str = "pk") -> Subquery:
    """A field of one competent person of the outer service (the only one where ``competent == 1``)."""
    return Subquery(competent_people().order_by("pk").values(field)[:1])


@dataclass
class BusFactorRow:
    service: Service
    bus_factor: int
    measured: bool  # True: counted from assessments against requirements; False: from named roles
    people: list[Person]


def bus_factors(workspace: Workspace, min_criticality: int = 3) -> list[BusFactorRow]:
    """Each live service of at least this criticality with its bus factor and who knows it (4 queries)."""
    from mue.audit.rules.common import LIVE_LIFECYCLES

    services = list(with_bus_factor(Service.objects.filter(
        workspace=workspace, lifecycle__in=LIVE_LIFECYCLES, criticality__gte=min_criticality))
        .order_by("bus_factor", "-criticality", "name"))
    ids = [s.pk for s in services]
    # Who: the named people and the competent ones, found in Python over the few critical services.
    required: dict[int, list[tuple[str, int]]] = {}
    for service_id, competence, level in Requirement.objects.filter(service_id__in=ids).values_list(
            "service_id", "competence", "level"):
        required.setdefault(service_id, []).append((competence, level))
    levels: dict[int, dict[str, int]] = {}
    for person_id, competence, level in Assessment.objects.filter(workspace=workspace).values_list(
            "person_id", "competence", "level"):
        levels.setdefault(person_id, {})[competence] = level
    app_owners: dict[int, set[int]] = {}
    for service_id, owner_id in ServiceApps.objects.filter(service_id__in=ids, application__owner__isnull=False) \
            .values_list("service_id", "application__owner_id"):
        app_owners.setdefault(service_id, set()).add(owner_id)
    people = {p.pk: p for p in Person.objects.filter(workspace=workspace)}
    rows = []
    for service in services:
        needs = required.get(service.pk)
        if needs:
            who = {pid for pid, held in levels.items() if all(held.get(c, 0) >= lv for c, lv in needs)}
        else:
            who = ({service.it_owner_id, service.backup_owner_id} | app_owners.get(service.pk, set())) - {None}
        rows.append(BusFactorRow(service=service, bus_factor=service.bus_factor, measured=bool(needs),
                                 people=sorted((people[p] for p in who), key=lambda p: p.name)))
    return rows


@dataclass
class HeatMap:
    """Mean assessed level per row (a unit, or a person of one unit) and DigComp area."""

    areas: list[tuple[str, str]]  # (code, title)
    rows: list[tuple[str, str, int]]  # (slug, name, people assessed)
    cells: dict[tuple[str, str], float]  # (row slug, area code) -> mean level

    def value(self, row: str, area: str) -> float | None:
        return self.cells.get((row, area))


def _area_of() -> Case:
    """The area code of an assessment's competence ("4.1" -> "4"), as SQL."""
    return Case(*[When(competence__startswith=f"{a.code}.", then=Value(a.code)) for a in framework().areas],
                default=Value(""))


def heat_map(workspace: Workspace, unit: Unit | None = None) -> HeatMap:
    """Units × areas, or with ``unit`` its people × areas; one aggregate query and one for the rows."""
    areas = [(a.code, str(a.title)) for a in framework().areas]
    assessments = Assessment.objects.filter(workspace=workspace).annotate(area=_area_of())
    if unit is None:
        key, name = "person__unit__slug", "person__unit__name"
        assessments = assessments.filter(person__unit__isnull=False)
    else:
        key, name = "person__slug", "person__name"
        assessments = assessments.filter(person__unit=unit)
    cells = {(row[key], row["area"]): round(float(row["mean"]), 1)
             for row in assessments.values(key, "area").annotate(mean=Avg("level")).order_by()}
    rows = [(r[key], r[name], r["people"])
            for r in assessments.values(key, name).annotate(people=Count("person", distinct=True)).order_by(name)]
    return HeatMap(areas=areas, rows=rows, cells=cells)


def role_gaps(workspace: Workspace) -> list[tuple[Person, Requirement, int]]:
    """People below a level their role requires: (person, requirement, assessed level or 0); 3 queries."""
    requirements = list(Requirement.objects.filter(workspace=workspace).exclude(role=""))
    if not requirements:
        return []
    roles = {r.role.strip().casefold() for r in requirements}
    holders = [p for p in Person.objects.filter(workspace=workspace).exclude(role="")
               if p.role.strip().casefold() in roles]
    levels: dict[tuple[int, str], int] = {
        (pid, c): lv for pid, c, lv in Assessment.objects.filter(person__in=holders).values_list(
            "person_id", "competence", "level")}
    gaps = []
    for person in holders:
        for requirement in requirements:
            if requirement.role.strip().casefold() == person.role.strip().casefold():
                held = levels.get((person.pk, requirement.competence), 0)
                if held < requirement.level:
                    gaps.append((person, requirement, held))
    return sorted(gaps, key=lambda g: (g[0].name, g[1].competence))
