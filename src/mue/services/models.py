"""What the organization delivers: digital services and the business processes resting on them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mue.core.choices import Level
from mue.core.models import RegisterObject
from mue.services.choices import Lifecycle


def _need(label) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, choices=Level.choices, null=True, blank=True)


def _person(label, related: str) -> models.ForeignKey:
    return models.ForeignKey("organization.Person", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name=related, verbose_name=label)


class Service(RegisterObject):
    """A digital service of the catalogue, with its criticality and security needs."""

    lifecycle = models.CharField(_("lifecycle"), max_length=10, choices=Lifecycle.choices, default=Lifecycle.RUN)
    criticality = models.PositiveSmallIntegerField(_("criticality"), choices=Level.choices, null=True, blank=True)
    need_availability = _need(_("availability need"))
    need_integrity = _need(_("integrity need"))
    need_confidentiality = _need(_("confidentiality need"))
    need_traceability = _need(_("traceability need"))
    rto_hours = models.PositiveIntegerField(_("RTO (hours)"), null=True, blank=True,
                                            help_text=_("Maximum tolerable outage."))
    rpo_hours = models.PositiveIntegerField(_("RPO (hours)"), null=True, blank=True,
                                            help_text=_("Maximum tolerable data loss."))
    business_owner = _person(_("business owner"), "services_owned")
    it_owner = _person(_("IT owner"), "services_run")
    backup_owner = _person(_("backup owner"), "services_backed_up")
    units = models.ManyToManyField("organization.Unit", blank=True, related_name="services",
                                   verbose_name=_("units served"))
    users_count = models.PositiveIntegerField(_("users"), null=True, blank=True)
    applications = models.ManyToManyField("applications.Application", blank=True, related_name="services",
                                          verbose_name=_("applications"))

    class Meta(RegisterObject.Meta):
        verbose_name = _("digital service")
        verbose_name_plural = _("digital services")

    class Map:
        key = "services"
        order = 50
        groups = {
            "needs": {
                "availability": "need_availability",
                "integrity": "need_integrity",
                "confidentiality": "need_confidentiality",
                "traceability": "need_traceability",
            }
        }


class Process(RegisterObject):
    """A business process (issuing a birth certificate, paying agents) and the services it uses."""

    owner = _person(_("owner"), "processes_owned")
    unit = models.ForeignKey("organization.Unit", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="processes", verbose_name=_("unit"))
    services = models.ManyToManyField(Service, blank=True, related_name="processes", verbose_name=_("services"))

    class Meta(RegisterObject.Meta):
        verbose_name = _("business process")
        verbose_name_plural = _("business processes")

    class Map:
        key = "processes"
        order = 60
