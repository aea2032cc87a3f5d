"""``/api/v1/``: the API, its OpenAPI document and its documentation page."""

from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.csrf import ensure_csrf_cookie

from mue.api.api import api


@ensure_csrf_cookie
def docs(request):
    """The interactive documentation (Swagger UI, vendored): anyone may read it; calls need a token or a session."""
    return render(request, "api/docs.html", {"openapi_url": reverse("api:openapi-json")})


urlpatterns = [
    path("v1/docs", docs, name="api_docs"),
    path("v1/", api.urls),
]
