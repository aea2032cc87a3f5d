"""Applications and SaaS: what the organization runs or subscribes to."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mue.applications.choices import ApplicationKind, ApplicationStatus, LicenceModel
from mue.applications.licences import LicenceField, openness
from mue.applications.taxonomy import category_choices
from mue.core.models import RegisterObject


class Application(RegisterObject):
    """An application, a SaaS subscription, a desktop or mobile tool."""

    kind = models.CharField(_("kind"), max_length=20, choices=ApplicationKind.choices)
    vendor = models.ForeignKey("vendors.ExternalParty", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="applications", verbose_name=_("vendor"))
    category = models.CharField(_("category"), max_length=40, choices=category_choices, blank=True)
    hosting_country = models.CharField(_("hosting country"), max_length=2, blank=True,
                                       help_text=_("Where its data is hosted (ISO 3166 alpha-2)."))
    status = models.CharField(_("status"), max_length=20, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.APPROVED)
    version = models.CharField(_("version"), max_length=50, blank=True)
    end_of_support = models.DateField(_("end of support"), null=True, blank=True)
    licence_model = models.CharField(_("licence model"), max_length=20, choices=LicenceModel.choices, blank=True)
    licence = LicenceField(_("licence"), blank=True,
                           help_text=_("SPDX identifier or expression (GPL-3.0-or-later, MIT, Apache-2.0...); "
                                       "LicenseRef-NAME for another licence."))
    seats = models.PositiveIntegerField(_("seats"), null=True, blank=True, help_text=_("Licences paid for."))
    sso = models.BooleanField(_("single sign-on"), null=True, blank=True)
    mfa = models.BooleanField(_("multi-factor authentication"), null=True, blank=True)
    url = models.URLField(_("address"), blank=True)
    owner = models.ForeignKey("organization.Person", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="owned_applications", verbose_name=_("owner"))
    assets = models.ManyToManyField("infrastructure.Asset", blank=True, related_name="applications",
                                    verbose_name=_("runs on"))
    depends_on = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="dependents",
                                        verbose_name=_("depends on"))
    data = models.ManyToManyField("dataflows.DataCategory", blank=True, related_name="applications",
                                  verbose_name=_("data held"))

    class Meta(RegisterObject.Meta):
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    @property
    def licence_openness(self) -> str:
        """"open", "proprietary" or "" (not known): from the SPDX licence, else the licence model."""
        derived = openness(self.licence)
        if derived or not self.licence_model:
            return derived
        return "open" if self.licence_model == LicenceModel.OPEN_SOURCE else ""

    class Map:
        key = "applications"
        order = 40
        rename = {"assets": "runs_on"}
