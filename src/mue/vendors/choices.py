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


class Hours(models.TextChoices):
    """Hours of service or of support, each window containing the narrower ones (see HOURS_PER_WEEK)."""

    OFFICE = "office", _("Office hours (Mon–Fri 9:00–17:00)")
    EXTENDED = "extended", _("Extended hours (Mon–Fri 8:00–19:00)")
    EXTENDED_SATURDAY = "extended-saturday", _("Extended hours and Saturday (Mon–Sat 8:00–19:00)")
    ALWAYS = "24x7", _("24 hours a day, 7 days a week")


#: Hours covered per week by each window. The windows are nested (office ⊂ extended ⊂ with Saturday
#: ⊂ 24/7), so "wider" is "more hours per week": a promise is kept only by a window at least as wide.
HOURS_PER_WEEK = {Hours.OFFICE: 40, Hours.EXTENDED: 55, Hours.EXTENDED_SATURDAY: 66, Hours.ALWAYS: 168}
