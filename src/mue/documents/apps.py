from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "mue.documents"
    label = "documents"
    verbose_name = _("Documents and terms")

    def ready(self) -> None:
        from mue.documents import signals

        signals.connect()  # links follow their objects and are logged (see mue.documents.signals)
