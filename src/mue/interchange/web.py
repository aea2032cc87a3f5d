"""The import and interoperability pages inside a workspace (see :mod:`mue.web.pages`,
:mod:`mue.interchange.views` and :mod:`mue.interchange.interop_views`)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from mue.interchange import interop_views, views
from mue.interchange.saved_mappings import MAPPING_TYPE
from mue.web.history import register_logged_type
from mue.web.pages import pages

pages.add_urls([
    path("import/", views.import_start, name="import"),
    path("import/<int:pk>/", views.import_sheets, name="import_sheets"),
    path("import/templates/<str:type_key>.<str:fmt>", views.import_template, name="import_template"),
    path("import/mappings/", views.mapping_list, name="import_mappings"),
    path("import/mappings/<int:pk>.yaml", views.mapping_download, name="import_mapping_download"),
    path("import/mappings/<int:pk>/delete/", views.mapping_delete, name="import_mapping_delete"),
    path("interop/", interop_views.interop_page, name="interop"),
    path("interop/import/", interop_views.interop_import, name="interop_import"),
    path("interop/<int:pk>/", interop_views.interop_upload, name="interop_upload"),
    path("interop/archimate.xml", interop_views.archimate_download, name="interop_archimate"),
])
pages.add_nav("workspace", _("Import"), "web:import", order=5, action="change")
pages.add_nav("workspace", _("Saved mappings"), "web:import_mappings", order=6, action="change")
pages.add_nav("workspace", _("Interoperability"), "web:interop", order=7)
register_logged_type(MAPPING_TYPE, _("saved mapping"), {"type": _("object type"), "mapping": _("mapping")})
