"""What the service contract of a business unit says, gathered once for its DOCX and HTML forms.

The contract lists the services the unit uses (a service's "units served"), for each its levels
(availability, hours, RTO/RPO, response and resolution per priority), both sides' commitments, its
contacts, what it costs the unit, and the breaches of :mod:`mue.catalogue.feasibility` (a draft says
which promises cannot be kept yet). Gathering costs a constant number of queries whatever the number
of services (plus the graph's, for feasibility).

**Costs.** Each service's cost of the year is the one the costs page shows (:mod:`mue.costs.tco`:
a line shared by its key — users, equal parts or percentages — between the services of its cost
shares, else to its service, else to the services its application supports, by their users); the
service's cost is then split equally between the units it serves. The contract says so in a note.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import formats, translation
from django.utils.translation import gettext as _

from mue.catalogue.choices import Priority
from mue.catalogue.feasibility import Breach, breaches_by_level, check_levels
from mue.catalogue.models import ServiceContract, ServiceLevel, ServiceLevelTarget
from mue.core.models import Workspace
from mue.organization.models import Person, Unit
from mue.services.models import Service
from mue.vendors.choices import Hours
from mue.vendors.models import CostLine

LIVE = ("run", "use")


@dataclass
class TargetRow:
    priority: str
    response: str
    resolution: str


@dataclass
class ServiceTerms:
    """One service of the contract, as printed."""

    slug: str
    name: str
    description: str
    criticality: int | None
    agreed: bool  # a service level agreement exists
    availability: str
    service_hours: str
    support_hours: str
    support_team: str
    rto: str
    rpo: str
    targets: list[TargetRow]
    it_commitments: str
    business_commitments: str
    contacts: list[tuple[str, str]]  # (role, "name <email>")
    cost: Decimal
    breaches: list[Breach] = field(default_factory=list)
    cost_text: str = ""


@dataclass
class ContractContent:
    language: str
    organization: str
    unit_name: str
    unit_slug: str
    it_units: list[str]
    version_label: str
    generated: str
    review_date: str
    cost_year: int
    currency: str
    services: list[ServiceTerms]
    signatures: list[tuple[str, str, str]]  # (side, signatory, signed on)
    general_it: list[str]
    general_business: list[str]

    @property
    def total_cost(self) -> Decimal:
        return sum((s.cost for s in self.services), Decimal(0))

    @property
    def total_cost_text(self) -> str:
        return self.money(self.total_cost)

    @property
    def breaches(self) -> list[Breach]:
        return [b for s in self.services for b in s.breaches]

    def money(self, amount: Decimal) -> str:
        return f"{formats.number_format(amount.quantize(Decimal(1)), use_l10n=True, force_grouping=True)} " \
               f"{self.currency}"

    @property
    def cost_note(self) -> str:
        return _("Costs of %(year)s as the costs page allocates them: each cost line to its service, or shared "
                 "between services by its key (users, equal parts or percentages), or, for a line of an "
                 "application only, between the services using it by their users; each service's cost is "
                 "split equally between the units it serves.") % {"year": self.cost_year}


def _person(p: Person | None) -> str:
    if p is None:
        return ""
    return f"{p.name} <{p.email}>" if p.email else p.name


def _hours_text(value: int | None) -> str:
    return "—" if value is None else _("%(hours)s h") % {"hours": value}


def _minutes_text(value: int | None) -> str:
    if value is None:
        return "—"
    if value >= 60 and value % 60 == 0:
        return _hours_text(value // 60)
    return _("%(minutes)s min") % {"minutes": value}


def unit_services(workspace: Workspace, unit: Unit):
    """The live services the unit uses, with what the contract prints (prefetched, constant queries)."""
    targets = Prefetch("targets", queryset=ServiceLevelTarget.objects.order_by("priority"))
    levels = Prefetch("levels", queryset=ServiceLevel.objects.select_related(
        "support_team", "it_contact", "business_contact").prefetch_related(targets).order_by("slug"))
    return (Service.objects.filter(workspace=workspace, units=unit, lifecycle__in=LIVE)
            .select_related("business_owner", "it_owner", "backup_owner")
            .prefetch_related(levels, "units").order_by("name"))


def service_costs(workspace: Workspace, year: int, services: list[Service]) -> dict[int, Decimal]:
    """Each service's cost of ``year`` as the costs page allocates it (:func:`mue.costs.tco.compute`)."""
    from mue.costs.tco import compute

    by_slug = {row.slug: row.amount for row in compute(workspace, year).rows["service"] if row.slug}
    return {s.pk: by_slug.get(s.slug, Decimal(0)) for s in services}


def cost_year(workspace: Workspace, today: dt.date) -> int:
    """This year if it has cost lines, else the latest year that has."""
    years = set(CostLine.objects.filter(workspace=workspace).values_list("year", flat=True).distinct())
    if not years or today.year in years:
        return today.year
    return max(y for y in years if y <= today.year) if any(y <= today.year for y in years) else max(years)


def build_content(workspace: Workspace, unit: Unit, language: str, *, record: ServiceContract | None = None,
                  today: dt.date | None = None) -> ContractContent:
    """The contract of ``unit`` in ``language`` (a recorded version's dates and signatures if given)."""
    today = today or dt.date.today()
    with translation.override(language):
        services = list(unit_services(workspace, unit))
        all_levels = [lv for s in services for lv in s.levels.all()]
        for level in all_levels:  # the feasibility check reads the level's service: already loaded
            level.service = next(s for s in services if s.pk == level.service_id)
        breaches = breaches_by_level(check_levels(workspace, all_levels)) if all_levels else {}
        year = cost_year(workspace, today)
        costs = service_costs(workspace, year, services)
        terms = [_terms(s, breaches, costs.get(s.pk, Decimal(0))) for s in services]
        it_units = list(Unit.objects.filter(workspace=workspace, is_it=True).order_by("name")
                        .values_list("name", flat=True))
        review = record.review_date if record and record.review_date else _next_year(today)
        signatures = [
            (_("For IT"), _person(record.it_signatory) if record else "",
             formats.date_format(record.it_signed_on) if record and record.it_signed_on else ""),
            (_("For the business unit"), _person(record.business_signatory) if record else "",
             formats.date_format(record.business_signed_on) if record and record.business_signed_on else ""),
        ]
        content = ContractContent(
            language=language, organization=workspace.name, unit_name=unit.name, unit_slug=unit.slug,
            it_units=it_units,
            version_label=_("version %(version)s") % {"version": record.version} if record else _("draft"),
            generated=formats.date_format(today), review_date=formats.date_format(review),
            cost_year=year, currency="EUR", services=terms, signatures=signatures,
            general_it=[
                _("Run the services listed here at the levels stated, and say at once when a level cannot be kept."),
                _("Answer and resolve incidents within the times stated for their priority, in the hours of support."),
                _("Back up the data, test the restore at least once a year and keep the restore procedure current."),
                _("Manage the contracts with the providers, and report their incidents and changes to the unit."),
            ],
            general_business=[
                _("Report incidents to the support, with their priority, as soon as they are seen."),
                _("Name a contact for each service, and say in advance when needs change (staff, hours, volumes)."),
                _("Keep the degraded mode (paper forms, exports) ready for when a service stops."),
                _("Review this contract with IT at the review date, and sign off each version."),
            ],
        )
        for t in terms:
            t.cost_text = content.money(t.cost)
        return content


def _next_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def _terms(service: Service, breaches: dict[int, list[Breach]], cost: Decimal) -> ServiceTerms:
    levels = list(service.levels.all())
    level = levels[0] if levels else None
    units = len(service.units.all()) or 1
    contacts = [(_("Business owner"), _person(service.business_owner)), (_("IT owner"), _person(service.it_owner)),
                (_("Backup"), _person(service.backup_owner))]
    if level is not None:
        contacts = [(_("Business contact"), _person(level.business_contact)),
                    (_("IT contact"), _person(level.it_contact)), *contacts]
    contacts = [(role, who) for role, who in contacts if who]
    seen: set[str] = set()
    unique = [(r, w) for r, w in contacts if not (w in seen or seen.add(w))]
    none = "—"
    if level is None:
        return ServiceTerms(service.slug, service.name, service.description, service.criticality, False,
                            none, none, none, none, _hours_text(service.rto_hours), _hours_text(service.rpo_hours),
                            [], "", "", unique, cost / units)
    targets = {t.priority: t for t in level.targets.all()}
    return ServiceTerms(
        service.slug, service.name, service.description, service.criticality, True,
        f"{formats.number_format(level.availability_target.normalize(), use_l10n=True)} %"
        if level.availability_target is not None else none,
        str(Hours(level.service_hours).label) if level.service_hours else none,
        str(Hours(level.support_hours).label) if level.support_hours else none,
        level.support_team.name if level.support_team else none,
        _hours_text(level.effective_rto), _hours_text(level.effective_rpo),
        [TargetRow(str(Priority(p).label), _minutes_text(t.response_minutes), _hours_text(t.resolution_hours))
         for p, t in sorted(targets.items())],
        level.it_commitments, level.business_commitments, unique, cost / units,
        [b for lv in levels for b in breaches.get(lv.pk, [])])
