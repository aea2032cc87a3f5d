"""Where things run: sites, servers, cloud resources, network, workstations, mobiles, IoT, BYOD."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mue.core.models import RegisterObject
from mue.infrastructure.choices import AssetKind, UpdatePolicy


class Site(RegisterObject):
    """A place: town hall, school, data centre, a cloud region."""

    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, default="FR")

    class Meta(RegisterObject.Meta):
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    class Map:
        key = "sites"
        order = 12


class Asset(RegisterObject):
    """An infrastructure asset or device."""

    kind = models.CharField(_("kind"), max_length=20, choices=AssetKind.choices)
    site = models.ForeignKey(Site, on_delete=models.SET_NULL, null=True, blank=True, related_name="assets",
                             verbose_name=_("site"))
    host = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="guests",
                             verbose_name=_("runs on"), help_text=_("The host of a virtual machine or container."))
    provider = models.ForeignKey("vendors.ExternalParty", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="assets", verbose_name=_("provider"))
    country = models.CharField(_("hosting country"), max_length=2, blank=True,
                               help_text=_("Where it is hosted, for cloud resources (ISO 3166 alpha-2)."))
    operating_system = models.CharField(_("operating system"), max_length=100, blank=True)
    end_of_life = models.DateField(_("end of life"), null=True, blank=True)
    managed = models.BooleanField(_("managed"), default=True, help_text=_("Managed by IT (inventory, updates)."))
    personal_device = models.BooleanField(_("personal device (BYOD)"), default=False)
    update_policy = models.CharField(_("update path"), max_length=20, choices=UpdatePolicy.choices, blank=True)
    network_segment = models.CharField(_("network segment"), max_length=100, blank=True)
    owner = models.ForeignKey("organization.Person", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="assets", verbose_name=_("owner"))

    class Meta(RegisterObject.Meta):
        verbose_name = _("infrastructure asset")
        verbose_name_plural = _("infrastructure assets")

    class Map:
        key = "assets"
        order = 30
