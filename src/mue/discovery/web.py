"""The discovery pages inside a workspace (see :mod:`mue.web.pages`)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from mue.discovery import views
from mue.web.pages import pages

pages.add_urls([
    path("discovery/", views.discovery_home, name="discovery"),
    path("discovery/upload/", views.discovery_upload, name="discovery_upload"),
    path("discovery/server/", views.discovery_from_server, name="discovery_server"),
    path("discovery/runs/<int:pk>/", views.discovery_run, name="discovery_run"),
    path("discovery/shadow/", views.discovery_add_shadow, name="discovery_add_shadow"),
    path("discovery/compare/", views.discovery_compare, name="discovery_compare"),
])
pages.add_nav("analysis", _("Usage discovery"), "web:discovery", order=20)
