"""Outside the organization: external parties (vendors, partners...), contracts and cost lines."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mue.core.choices import Currency
from mue.core.models import RegisterObject
from mue.vendors.choices import CostKind, CostSharing, Hours, PartyKind


class ExternalParty(RegisterObject):
    """A vendor, partner, public body or the public: anyone outside the organization."""

    kind = models.CharField(_("kind"), max_length=20, choices=PartyKind.choices, default=PartyKind.VENDOR)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 alpha-2 code."))
    website = models.URLField(_("website"), blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)

    class Meta(RegisterObject.Meta):
        verbose_name = _("external party")
        verbose_name_plural = _("external parties")

    class Map:
        key = "parties"
        singular = "party"
        order = 15


class Contract(RegisterObject):
    """A contract with a vendor, covering applications and services."""

    vendor = models.ForeignKey(
        ExternalParty, on_delete=models.PROTECT, null=True, blank=True, related_name="contracts",
        verbose_name=_("vendor"),
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    tacit_renewal = models.BooleanField(_("tacit renewal"), default=False)
    notice_days = models.PositiveIntegerField(_("notice period (days)"), null=True, blank=True)
    annual_amount = models.DecimalField(_("annual amount"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR)
    dpa_signed = models.BooleanField(_("DPA signed"), null=True, blank=True,
                                     help_text=_("A data processing agreement (GDPR art. 28) is signed."))
    data_location_clause = models.BooleanField(_("data location clause"), null=True, blank=True)
    reversibility_clause = models.BooleanField(_("reversibility clause"), null=True, blank=True)
    # What the provider promises (its service levels), checked against the levels promised to the units.
    availability_percent = models.DecimalField(
        _("availability promised (%)"), max_digits=6, decimal_places=3, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The provider's availability commitment, e.g. 99.5."))
    rto_hours = models.PositiveIntegerField(_("restore time promised (hours)"), null=True, blank=True,
                                            help_text=_("Time within which the provider restores the service."))
    support_hours = models.CharField(_("support hours"), max_length=20, choices=Hours.choices, blank=True,
                                     help_text=_("When the provider's support answers."))
    applications = models.ManyToManyField(
        "applications.Application", blank=True, related_name="contracts", verbose_name=_("applications")
    )
    services = models.ManyToManyField("services.Service", blank=True, related_name="contracts",
                                      verbose_name=_("services"))

    class Meta(RegisterObject.Meta):
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    class Map:
        key = "contracts"
        order = 80


class CostLine(RegisterObject):
    """An amount spent in a year, attached to a service, an application or a contract."""

    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR)
    year = models.PositiveIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=CostKind.choices)
    service = models.ForeignKey("services.Service", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="cost_lines", verbose_name=_("service"))
    application = models.ForeignKey("applications.Application", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="cost_lines", verbose_name=_("application"))
    contract = models.ForeignKey(Contract, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="cost_lines", verbose_name=_("contract"))
    unit = models.ForeignKey("organization.Unit", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="cost_lines", verbose_name=_("paying unit"))
    owner = models.ForeignKey("organization.Person", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="cost_lines", verbose_name=_("owner"))
    sharing = models.CharField(
        _("sharing key"), max_length=12, choices=CostSharing.choices, blank=True,
        help_text=_("How the amount is shared between the services named by its cost shares; empty: it goes "
                    "to its service (or to the services of its application)."))

    class Meta(RegisterObject.Meta):
        verbose_name = _("cost line")
        verbose_name_plural = _("cost lines")

    class Map:
        key = "costs"
        singular = "cost"
        order = 90
