from django.db import models
from django.utils.translation import gettext_lazy as _


class Priority(models.TextChoices):
    """Incident priorities, P1 the most urgent (the service is down for everyone)."""

    P1 = "P1", _("P1 — critical")
    P2 = "P2", _("P2 — high")
    P3 = "P3", _("P3 — medium")
    P4 = "P4", _("P4 — low")
