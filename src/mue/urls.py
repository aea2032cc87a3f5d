"""URL configuration: the web app at the root, the accounts, the API (``/api/v1/``), the instance admin.

The Django admin is for site administrators (superusers), who administer the instance; the product's
pages are :mod:`mue.web`. Domain apps add pages through their ``web.py`` (see :mod:`mue.web.pages`).
"""

from django.contrib import admin
from django.urls import include, path

from mue.api import views as api_views

urlpatterns = [
    path("accounts/me/tokens/", api_views.tokens, name="api_tokens"),
    path("accounts/", include("mue.accounts.urls")),
    path("api/", include("mue.api.urls")),
    path("admin/", admin.site.urls),
    path("", include("mue.web.urls")),
]
