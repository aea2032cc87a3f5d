"""The GDPR page inside a workspace (see :mod:`mue.web.pages`)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from mue.gdpr import views
from mue.web.pages import pages

pages.add_urls([
    path("gdpr/", views.gdpr_home, name="gdpr"),
    path("gdpr/suggestions/", views.record_suggestions, name="gdpr_suggestions"),
    path("gdpr/record.<str:fmt>", views.record_download, name="gdpr_record"),
])
pages.add_nav("analysis", _("GDPR record"), "web:gdpr", order=35)
