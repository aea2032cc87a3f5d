"""URL configuration: the web app at the root, the accounts, the API (later), the instance admin.

The Django admin is for site administrators (superusers), who administer the instance; the product's
pages are :mod:`mue.web`. Domain apps add pages through their ``web.py`` (see :mod:`mue.web.pages`).
"""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("accounts/", include("mue.accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("mue.web.urls")),
]
