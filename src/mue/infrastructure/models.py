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

    # Connected objects (IoT): what makes them safe to keep, and where their data goes.
    default_credentials_changed = models.BooleanField(
        _("default credentials changed"), null=True, blank=True,
        help_text=_("The factory password and accounts were changed (empty: nobody checked)."))
    segment_isolated = models.BooleanField(
        _("network segment isolated"), null=True, blank=True,
        help_text=_("Its network segment is filtered from the office network and the servers."))
    data_collected = models.ManyToManyField("dataflows.DataCategory", blank=True, related_name="collecting_assets",
                                            verbose_name=_("data collected"))
    vendor_cloud = models.CharField(_("vendor cloud"), max_length=200, blank=True,
                                    help_text=_("The vendor's platform the object reports to, if any."))
    vendor_cloud_country = models.CharField(_("vendor cloud country"), max_length=2, blank=True,
                                            help_text=_("Where the vendor cloud is hosted (ISO 3166 alpha-2)."))
    end_of_support = models.DateField(_("end of vendor support"), null=True, blank=True,
                                      help_text=_("The last day the vendor ships security updates."))

    # Personal devices (BYOD): what they reach and under which conditions.
    mdm_enrolled = models.BooleanField(_("enrolled in device management (MDM)"), default=False,
                                       help_text=_("A personal device enrolled (work profile, remote wipe)."))
    data_reached = models.ManyToManyField("dataflows.DataCategory", blank=True, related_name="reaching_assets",
                                          verbose_name=_("data reached"),
                                          help_text=_("Data the device reaches (mail, files, applications)."))
    charter_signed = models.DateField(_("usage charter signed on"), null=True, blank=True,
                                      help_text=_("For a personal device: when its user signed the usage charter."))

    class Meta(RegisterObject.Meta):
        verbose_name = _("infrastructure asset")
        verbose_name_plural = _("infrastructure assets")

    class Map:
        key = "assets"
        order = 30
