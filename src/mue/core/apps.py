from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "mue.core"
    label = "core"
    verbose_name = _("Register core")

    def ready(self) -> None:
        from mue.core import checks, integrity, registry, signals  # noqa: F401  (change-log signals, deploy checks)

        registry.build()
        integrity.connect()  # no reference crosses workspaces
