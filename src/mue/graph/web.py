"""The graph's pages inside a workspace (see :mod:`mue.web.pages`)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from mue.graph import views
from mue.web.pages import pages

pages.add_urls([
    path("graph/", views.graph_page, name="graph"),
    path("graph/data.json", views.graph_data, name="graph_data"),
])
pages.add_nav("analysis", _("Dependency graph"), "web:graph", order=30)
