"""Enumerations shared by several domains."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    """A 1-4 scale: criticality of a service, and each DICT need."""

    LOW = 1, _("1 - low")
    MEDIUM = 2, _("2 - medium")
    HIGH = 3, _("3 - high")
    VITAL = 4, _("4 - vital")


class Currency(models.TextChoices):
    EUR = "EUR", _("Euro")
    CHF = "CHF", _("Swiss franc")
    GBP = "GBP", _("Pound sterling")
    USD = "USD", _("US dollar")
    CAD = "CAD", _("Canadian dollar")
