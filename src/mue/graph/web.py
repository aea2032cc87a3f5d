"""The graph's pages inside a workspace (see :mod:`mue.web.pages`): the interactive diagram, SVG
downloads, an object's impact and dependencies (with a tab on its detail page), the single points of
failure and the lineage of a data category."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from mue.graph import analysis_views, views
from mue.graph.build import NODE_TYPES
from mue.web.pages import pages

pages.add_urls([
    path("graph/", views.graph_page, name="graph"),
    path("graph/data.json", views.graph_data, name="graph_data"),
    path("graph/graph.svg", views.graph_svg, name="graph_svg"),
    path("graph/graph.<str:fmt>", views.graph_file, name="graph_file"),
    path("graph/spof/", analysis_views.spof_page, name="graph_spof"),
    path("graph/lineage/", analysis_views.lineage_page, name="graph_lineage"),
    path("graph/object/<str:type_name>/<str:slug>/", analysis_views.object_impact, name="graph_object"),
])
pages.add_nav("analysis", _("Dependency graph"), "web:graph", order=30)
pages.add_nav("analysis", _("Single points of failure"), "web:graph_spof", order=31)
pages.add_nav("analysis", _("Data lineage"), "web:graph_lineage", order=32)
pages.add_tab("impact", _("Impact and dependencies"), analysis_views.impact_tab, types=NODE_TYPES, order=20)
