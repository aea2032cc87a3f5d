from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CostsConfig(AppConfig):
    name = "mue.costs"
    label = "costs"
    verbose_name = _("Costs")

    def ready(self) -> None:
        # The importer's check that a cost line's shares make sense (percentages summing to 100...).
        from mue.costs import checks  # noqa: F401
