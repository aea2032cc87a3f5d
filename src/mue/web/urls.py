"""URLs of the web app: ``/`` (one's workspaces), ``/search/``, and everything under ``/w/<workspace>/``.

The register types' pages come from the registry (:mod:`mue.web.views.objects`), the domains' own
pages from their ``web.py`` (:mod:`mue.web.pages`); nothing here names a type or a domain.
"""

from django.urls import include, path

from mue.web.pages import pages
from mue.web.views import edit, exports, home, objects, saved, search
from mue.web.views.history import history_urlpatterns

app_name = "web"

workspace_patterns = [
    path("", home.workspace_overview, name="workspace"),
    *pages.urlpatterns,
    *history_urlpatterns,
    # Every register type, addressed by its map key with dashes: no type is named here.
    path("references/autocomplete/", objects.reference_autocomplete, name="reference_autocomplete"),
    path("<str:type_segment_>/", objects.object_list, name="object_list"),
    path("<str:type_segment_>/add/", edit.object_create, name="object_create"),
    path("<str:type_segment_>/bulk-edit/", edit.bulk_edit, name="object_bulk_edit"),
    path("<str:type_segment_>/bulk-delete/", edit.bulk_delete, name="object_bulk_delete"),
    path("<str:type_segment_>/export.<str:fmt>", exports.export_list, name="object_export"),
    path("<str:type_segment_>/views/save/", saved.saved_view_save, name="saved_view_save"),
    path("<str:type_segment_>/views/<int:pk>/delete/", saved.saved_view_delete, name="saved_view_delete"),
    path("<str:type_segment_>/autocomplete/", objects.object_autocomplete, name="object_autocomplete"),
    path("<str:type_segment_>/<str:slug>/", objects.object_detail, name="object_detail"),
    path("<str:type_segment_>/<str:slug>/edit/", edit.object_edit, name="object_edit"),
    path("<str:type_segment_>/<str:slug>/delete/", edit.object_delete, name="object_delete"),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("switch/", home.switch, name="switch"),
    path("search/", search.global_search, name="search"),
    *pages.root_urlpatterns,
    path("w/<str:workspace>/", include(workspace_patterns)),
]
