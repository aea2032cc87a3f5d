"""The skills pages inside a workspace (see :mod:`mue.web.pages`): the heat map and bus factors, a
person's assessment form, and tabs on services (required levels, bus factor) and people (levels)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from mue.skills import views
from mue.web.pages import pages

pages.add_urls([
    path("skills/", views.skills_home, name="skills"),
    path("skills/assess/<str:person>/", views.assess, name="skills_assess"),
])
pages.add_nav("skills", _("Heat map and bus factor"), "web:skills", order=1)
pages.add_tab("skills", _("Skills"), views.service_tab, types=["service"], order=40)
pages.add_tab("skills-person", _("Skills"), views.person_tab, types=["person"], order=40)
