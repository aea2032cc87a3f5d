from django.db import models
from django.utils.translation import gettext_lazy as _


class Lifecycle(models.TextChoices):
    """Plan-Design-Build-Run, plus Use (seed 000) and Retire."""

    PLAN = "plan", _("Plan")
    DESIGN = "design", _("Design")
    BUILD = "build", _("Build")
    RUN = "run", _("Run")
    USE = "use", _("Use")
    RETIRE = "retire", _("Retire")
