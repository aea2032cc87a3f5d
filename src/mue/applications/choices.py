from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationKind(models.TextChoices):
    SAAS = "saas", _("SaaS")
    ON_PREMISES = "on-premises", _("On premises")
    CUSTOM = "custom", _("Custom development")
    DESKTOP = "desktop", _("Desktop software")
    MOBILE = "mobile", _("Mobile app")


class ApplicationStatus(models.TextChoices):
    APPROVED = "approved", _("Approved")
    TOLERATED = "tolerated", _("Tolerated")
    SHADOW = "shadow", _("Shadow IT")
    BANNED = "banned", _("Banned")
    RETIRED = "retired", _("Retired")


class LicenceModel(models.TextChoices):
    SUBSCRIPTION = "subscription", _("Subscription")
    PER_USER = "per-user", _("Per user")
    PERPETUAL = "perpetual", _("Perpetual licence")
    OPEN_SOURCE = "open-source", _("Open source")
    FREE = "free", _("Free of charge")
    INCLUDED = "included", _("Included in another product")
    OTHER = "other", _("Other")
