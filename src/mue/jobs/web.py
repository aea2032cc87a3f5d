"""The jobs' pages inside a workspace (see :mod:`mue.web.pages`)."""

from django.urls import path

from mue.jobs import views
from mue.web.pages import pages

pages.add_urls([
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/status/", views.job_status, name="job_status"),
])
