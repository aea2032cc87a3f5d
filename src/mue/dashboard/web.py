"""What the dashboard adds to the web pages (see :mod:`mue.web.pages`): the dashboard on every
workspace's front page, the advisor's cockpit on the first page, creating a workspace from a starter."""

from django.urls import path

from mue.dashboard import cockpit_views, views
from mue.web.pages import pages

pages.add_panel("workspace", "dashboard", views.dashboard_panel, order=10)
pages.add_panel("home", "cockpit", cockpit_views.cockpit_panel, order=10)
pages.add_root_urls([path("workspaces/new/", cockpit_views.workspace_create, name="workspace_create")])
