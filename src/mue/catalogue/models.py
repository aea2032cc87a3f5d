"""The service catalogue: what IT promises each service delivers, and the contract of each business unit.

Modelled on iTop's service management (service, customer contract, SLA, service-level targets,
provider contract) and ITIL 4's service catalogue: a :class:`ServiceLevel` holds the levels of one
service (availability, hours, RTO/RPO, both sides' commitments, contacts), its
:class:`ServiceLevelTarget` rows the response and resolution times per priority, a
:class:`SupportTeam` the hours a team really covers, a :class:`RestoreTest` the restore time a
backup-restore document or test states. The provider's side is on the contract
(:class:`mue.vendors.models.Contract`: availability, restore time, support hours). A
:class:`ServiceContract` is one version of the contract of a business unit, with its generated file.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mue.catalogue.choices import Priority
from mue.core.models import RegisterObject, ScopedQuerySet
from mue.vendors.choices import Hours


def _person(label, related: str) -> models.ForeignKey:
    return models.ForeignKey("organization.Person", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name=related, verbose_name=label)


class SupportTeam(RegisterObject):
    """A team that supports services (the IT unit, an outsourcer's help desk) and the hours it covers."""

    unit = models.ForeignKey("organization.Unit", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="support_teams", verbose_name=_("unit"))
    support_hours = models.CharField(_("support hours"), max_length=20, choices=Hours.choices)
    headcount = models.PositiveSmallIntegerField(_("people"), null=True, blank=True,
                                                 help_text=_("People who answer in these hours."))
    contact = _person(_("contact"), "support_teams")

    class Meta(RegisterObject.Meta):
        verbose_name = _("support team")
        verbose_name_plural = _("support teams")

    class Map:
        key = "support_teams"
        singular = "support_team"
        order = 25


class ServiceLevel(RegisterObject):
    """The levels promised for one service: the service level agreement between IT and its users."""

    # Nullable like every reference of the register (an import or API call may clear it): an agreement
    # without its service is simply not checked nor printed.
    service = models.ForeignKey("services.Service", on_delete=models.CASCADE, null=True, related_name="levels",
                                verbose_name=_("service"))
    availability_target = models.DecimalField(
        _("availability target (%)"), max_digits=6, decimal_places=3, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Share of the hours of service the service is up, e.g. 99.5."))
    service_hours = models.CharField(_("hours of service"), max_length=20, choices=Hours.choices, blank=True)
    support_hours = models.CharField(_("hours of support"), max_length=20, choices=Hours.choices, blank=True)
    support_team = models.ForeignKey(SupportTeam, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="levels", verbose_name=_("support team"))
    rto_hours = models.PositiveIntegerField(_("RTO promised (hours)"), null=True, blank=True,
                                            help_text=_("Empty: the service's RTO."))
    rpo_hours = models.PositiveIntegerField(_("RPO promised (hours)"), null=True, blank=True,
                                            help_text=_("Empty: the service's RPO."))
    it_commitments = models.TextField(_("IT commitments"), blank=True)
    business_commitments = models.TextField(_("business unit commitments"), blank=True)
    it_contact = _person(_("IT contact"), "levels_for_it")
    business_contact = _person(_("business contact"), "levels_for_business")

    class Meta(RegisterObject.Meta):
        verbose_name = _("service level agreement")
        verbose_name_plural = _("service level agreements")

    class Map:
        key = "service_levels"
        singular = "service_level"
        order = 55

    @property
    def effective_rto(self) -> int | None:
        """The RTO promised: the agreement's, else the service's."""
        return self.rto_hours if self.rto_hours is not None else self.service.rto_hours

    @property
    def effective_rpo(self) -> int | None:
        return self.rpo_hours if self.rpo_hours is not None else self.service.rpo_hours


class ServiceLevelTarget(RegisterObject):
    """A service-level target: response and resolution times for incidents of one priority."""

    agreement = models.ForeignKey(ServiceLevel, on_delete=models.CASCADE, null=True, related_name="targets",
                                  verbose_name=_("service level agreement"))
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices)
    response_minutes = models.PositiveIntegerField(_("response time (minutes)"), null=True, blank=True)
    resolution_hours = models.PositiveIntegerField(_("resolution time (hours)"), null=True, blank=True)

    class Meta(RegisterObject.Meta):
        verbose_name = _("service-level target")
        verbose_name_plural = _("service-level targets")

    class Map:
        key = "service_level_targets"
        singular = "service_level_target"
        order = 56


class RestoreTest(RegisterObject):
    """A restore time stated by a backup-restore document or measured by a restore test."""

    service = models.ForeignKey("services.Service", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="restore_tests", verbose_name=_("service"))
    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="restore_tests", verbose_name=_("application"))
    asset = models.ForeignKey("infrastructure.Asset", on_delete=models.CASCADE, null=True, blank=True,
                              related_name="restore_tests", verbose_name=_("asset"))
    document = models.ForeignKey("documents.Document", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="restore_tests", verbose_name=_("document"))
    tested_on = models.DateField(_("tested on"), null=True, blank=True)
    restore_hours = models.PositiveIntegerField(_("restore time (hours)"),
                                                help_text=_("Time the restore took or the document states."))

    class Meta(RegisterObject.Meta):
        verbose_name = _("restore test")
        verbose_name_plural = _("restore tests")

    class Map:
        key = "restore_tests"
        singular = "restore_test"
        order = 98


class ServiceContract(RegisterObject):
    """One version of the service contract between IT and a business unit, with its generated file."""

    unit = models.ForeignKey("organization.Unit", on_delete=models.CASCADE, null=True, related_name="service_contracts",
                             verbose_name=_("business unit"))
    version = models.PositiveIntegerField(_("version"), default=1)
    language = models.CharField(_("language"), max_length=5, default="fr")
    review_date = models.DateField(_("review date"), null=True, blank=True,
                                   help_text=_("When both sides review the contract again."))
    it_signatory = _person(_("IT signatory"), "contracts_signed_for_it")
    it_signed_on = models.DateField(_("signed off by IT on"), null=True, blank=True)
    business_signatory = _person(_("business signatory"), "contracts_signed_for_business")
    business_signed_on = models.DateField(_("signed off by the business unit on"), null=True, blank=True)
    generated = models.DateTimeField(_("generated"), null=True, blank=True)

    class Meta(RegisterObject.Meta):
        verbose_name = _("service contract")
        verbose_name_plural = _("service contracts")

    class Map:
        key = "service_contracts"
        singular = "service_contract"
        exclude = ["generated"]  # set when the DOCX is generated; map files carry dates, not times
        order = 99


class ServiceContractFile(models.Model):
    """The DOCX of a contract version as generated, kept byte for byte (in the database, like reports)."""

    workspace_path = "contract__workspace"

    # A foreign key with a unique constraint, not a one-to-one field: the workspace deletion orders its
    # tables by their many-to-one references (mue.core.deletion).
    contract = models.ForeignKey(ServiceContract, on_delete=models.CASCADE, related_name="files",
                                 verbose_name=_("service contract"))
    content = models.BinaryField(_("content"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contract"], name="catalogue_contract_file_unique")]
        verbose_name = _("service contract file")
        verbose_name_plural = _("service contract files")

    def __str__(self) -> str:
        return f"{self.contract} docx"
