from django.db import models
from django.utils.translation import gettext_lazy as _


class PartyKind(models.TextChoices):
    VENDOR = "vendor", _("Vendor")
    PARTNER = "partner", _("Partner")
    PUBLIC_BODY = "public-body", _("Public body")
    CITIZENS = "citizens", _("Citizens / public")
    OTHER = "other", _("Other")


class CostKind(models.TextChoices):
    LICENCE = "licence", _("Licence")
    SUBSCRIPTION = "subscription", _("Subscription")
    HOSTING = "hosting", _("Hosting")
    SUPPORT = "support", _("Support and maintenance")
    STAFF = "staff", _("Staff")
    ONE_OFF = "one-off", _("One-off")


class CostSharing(models.TextChoices):
    """How a cost line is shared between the services of its cost shares (mue.costs)."""

    USERS = "users", _("By the users of each service")
    EQUAL = "equal", _("Equally")
    PERCENTAGES = "percentages", _("By the percentages given")
