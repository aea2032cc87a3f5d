from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataflowsConfig(AppConfig):
    name = "mue.dataflows"
    label = "dataflows"
    verbose_name = _("Data and flows")
