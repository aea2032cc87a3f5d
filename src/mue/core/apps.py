from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "mue.core"
    label = "core"
    verbose_name = _("Register core")

    def ready(self) -> None:
        from mue.core import registry, signals  # noqa: F401  (connects the change-log signals)

        registry.build()
