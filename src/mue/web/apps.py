from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "mue.web"
    label = "web"
    verbose_name = _("Web pages")

    def ready(self) -> None:
        # Domain apps register their pages and tabs from a ``web.py`` module, as they register
        # commands from ``cli.py``: the web layer never imports a domain by name.
        from mue.web.pages import load_domain_pages

        load_domain_pages()
