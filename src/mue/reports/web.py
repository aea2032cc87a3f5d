"""The report pages inside a workspace (see :mod:`mue.web.pages`)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from mue.reports import request_views, views
from mue.web.pages import pages

pages.add_urls([
    path("reports/", views.report_list, name="reports"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/interests/", views.interests, name="report_interests"),
    path("reports/requests/", request_views.information_requests, name="report_requests"),
    path("reports/handover.zip", views.handover_download, name="handover"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/save/", views.report_save, name="report_save"),
    path("reports/<int:pk>/step/", views.report_step, name="report_step"),
    path("reports/<int:pk>/<str:fmt>/", views.report_download, name="report_download"),
])
pages.add_nav("analysis", _("Reports"), "web:reports", order=40)
pages.add_nav("analysis", _("Declared interests"), "web:report_interests", order=45)
pages.add_nav("analysis", _("Requests for information"), "web:report_requests", order=46)
