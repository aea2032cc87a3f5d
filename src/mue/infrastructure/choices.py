from django.db import models
from django.utils.translation import gettext_lazy as _


class AssetKind(models.TextChoices):
    SERVER = "server", _("Server")
    VIRTUAL_MACHINE = "virtual-machine", _("Virtual machine")
    CLOUD_RESOURCE = "cloud-resource", _("Cloud resource")
    NETWORK_DEVICE = "network-device", _("Network device")
    WORKSTATION = "workstation", _("Workstation")
    MOBILE = "mobile", _("Mobile device")
    IOT_DEVICE = "iot-device", _("Connected object (IoT)")
    STORAGE = "storage", _("Storage / backup device")
    OTHER = "other", _("Other")


class UpdatePolicy(models.TextChoices):
    AUTOMATIC = "automatic", _("Automatic updates")
    MANAGED = "managed", _("Updates managed by IT")
    VENDOR = "vendor", _("Updated by the vendor")
    MANUAL = "manual", _("Manual, when someone thinks of it")
    NONE = "none", _("No update path")
