"""URLs of the dependency graph, mounted at /graph/."""

from django.urls import path

from mue.graph import views

app_name = "graph"

urlpatterns = [
    path("<str:workspace>/", views.graph_page, name="page"),
    path("<str:workspace>/data.json", views.graph_data, name="data"),
]
