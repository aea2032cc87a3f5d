"""URL configuration. Domain apps that ship a ``urls.py`` are mounted under their name.

The Django admin is the stop-gap UI until the web app lands.
"""

import importlib.util

from django.apps import apps
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
]

for config in apps.get_app_configs():
    if config.name.startswith("mue.") and importlib.util.find_spec(f"{config.name}.urls"):
        urlpatterns.append(path(f"{config.label}/", include(f"{config.name}.urls")))
