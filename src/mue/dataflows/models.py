"""What is handled and where it goes: data categories and data flows."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mue.core.models import RegisterObject
from mue.dataflows.choices import Classification, FlowMode, Frequency, PersonalData, Protocol


class DataCategory(RegisterObject):
    """A category of data: "family records", "payroll", "video recordings"."""

    classification = models.CharField(_("classification"), max_length=20, choices=Classification.choices,
                                      default=Classification.INTERNAL)
    personal_data = models.CharField(_("personal data"), max_length=20, choices=PersonalData.choices,
                                     default=PersonalData.NONE)
    data_subjects = models.CharField(_("data subjects"), max_length=300, blank=True,
                                     help_text=_("Whose data: residents, pupils, agents, customers..."))
    retention_months = models.PositiveIntegerField(_("retention (months)"), null=True, blank=True)
    retention_note = models.CharField(_("retention rule"), max_length=300, blank=True)

    class Meta(RegisterObject.Meta):
        verbose_name = _("data category")
        verbose_name_plural = _("data categories")

    class Map:
        key = "data_categories"
        singular = "data_category"
        order = 25


ENDPOINT_FIELDS = ("application", "unit", "party", "asset")


def _endpoint(prefix: str, model: str, label, related: str) -> models.ForeignKey:
    return models.ForeignKey(model, on_delete=models.CASCADE, null=True, blank=True,
                             related_name=f"{related}_{prefix}", verbose_name=label)


def _one_endpoint(prefix: str) -> Q:
    """Exactly one of the four endpoint foreign keys is set."""
    names = [f"{prefix}_{name}" for name in ENDPOINT_FIELDS]
    return Q(*[Q(**{f"{n}__isnull": n != chosen for n in names}) for chosen in names], _connector=Q.OR)


class DataFlow(RegisterObject):
    """Data carried from a source to a target: each an application, a unit, an external party or an asset."""

    source_application = _endpoint("source", "applications.Application", _("source application"), "flows_as")
    source_unit = _endpoint("source", "organization.Unit", _("source unit"), "flows_as")
    source_party = _endpoint("source", "vendors.ExternalParty", _("source party"), "flows_as")
    source_asset = _endpoint("source", "infrastructure.Asset", _("source asset"), "flows_as")
    target_application = _endpoint("target", "applications.Application", _("target application"), "flows_as")
    target_unit = _endpoint("target", "organization.Unit", _("target unit"), "flows_as")
    target_party = _endpoint("target", "vendors.ExternalParty", _("target party"), "flows_as")
    target_asset = _endpoint("target", "infrastructure.Asset", _("target asset"), "flows_as")
    data = models.ManyToManyField(DataCategory, blank=True, related_name="flows", verbose_name=_("data carried"))
    protocol = models.CharField(_("protocol"), max_length=20, choices=Protocol.choices, blank=True)
    encrypted = models.BooleanField(_("encrypted in transit"), null=True, blank=True)
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices, blank=True)
    mode = models.CharField(_("mode"), max_length=20, choices=FlowMode.choices, default=FlowMode.AUTOMATED)

    class Meta(RegisterObject.Meta):
        verbose_name = _("data flow")
        verbose_name_plural = _("data flows")
        constraints = [
            *RegisterObject.Meta.constraints,
            models.CheckConstraint(condition=_one_endpoint("source"), name="%(app_label)s_%(class)s_one_source"),
            models.CheckConstraint(condition=_one_endpoint("target"), name="%(app_label)s_%(class)s_one_target"),
        ]

    class Map:
        key = "flows"
        singular = "flow"
        order = 70
        endpoints = {"from": "source", "to": "target"}

    def endpoint(self, prefix: str) -> RegisterObject | None:
        for name in ENDPOINT_FIELDS:
            value = getattr(self, f"{prefix}_{name}")
            if value is not None:
                return value
        return None
