"""The catalogue's pages inside a workspace (see :mod:`mue.web.pages`)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from mue.catalogue import views
from mue.web.pages import pages

pages.add_urls([
    path("catalogue/", views.catalogue_page, name="catalogue"),
    path("catalogue/units/<str:slug>/contract/", views.unit_contract, name="catalogue_unit_contract"),
    path("catalogue/units/<str:slug>/contract/record/", views.record_contract, name="catalogue_record_contract"),
    path("catalogue/contracts/<str:slug>/docx/", views.contract_file, name="catalogue_contract_file"),
    path("catalogue/services/<str:slug>/feasibility/", views.service_feasibility, name="catalogue_feasibility"),
])
pages.add_nav("catalogue", _("Service catalogue"), "web:catalogue", order=1)
pages.add_tab("levels", _("Service levels"), views.levels_tab, types=["service"], order=15)
