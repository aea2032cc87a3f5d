"""How domain apps plug into the web layer: workspace pages, navigation entries, tabs of an object.

A domain app ships a ``web.py`` module (as it ships ``cli.py`` for commands) that registers what it
adds::

    from mue.web.pages import pages

    pages.add_urls([path("audit/", views.audit_home, name="audit")])      # under /w/<workspace>/
    pages.add_nav("analysis", _("Audit"), "web:audit", order=10)
    pages.add_tab("findings", _("Findings"), findings_tab, types=["application", "service"])
    pages.add_panel("workspace", "dashboard", dashboard_panel)   # on the workspace's front page
    pages.add_root_urls([path("workspaces/new/", views.create, name="workspace_create")])  # outside workspaces

The web layer never imports a domain by name: it loads every installed ``mue.*`` app's ``web.py``
when Django starts (:func:`load_domain_pages`), and the register types get their pages from the
registry (:mod:`mue.web.views.objects`) with nothing to register at all.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.urls import URLPattern, URLResolver


@dataclass(frozen=True)
class NavEntry:
    """A link of the left navigation, in one section (see :data:`SECTIONS`)."""

    section: str
    label: Any  # a lazy translation
    url_name: str  # reversed with the workspace slug as its only argument
    order: int = 100
    action: str = "view"  # hidden from members who may not do it


@dataclass(frozen=True)
class Tab:
    """A tab of an object's detail page, added by a domain (its findings, its costs...).

    ``render(request, workspace, obj, otype)`` returns the tab's HTML (a ``SafeString``) or None when
    the tab has nothing to show for this object.
    """

    key: str
    label: Any
    render: Callable[..., Any]
    types: frozenset[str] | None = None  # registry singular names; None: every type
    order: int = 100


# The sections of the left navigation, in order. Register types go in the section of their Django
# app (its verbose name is the section's label); domains add analysis pages to "analysis".
SECTIONS: dict[str, int] = {
    "organization": 10,
    "skills": 15,
    "services": 20,
    "catalogue": 25,
    "applications": 30,
    "dataflows": 40,
    "infrastructure": 50,
    "vendors": 60,
    "documents": 70,
    "analysis": 80,
    "workspace": 90,
}


@dataclass(frozen=True)
class Panel:
    """A block of a front page, added by a domain: ``place`` is "home" (the signed-in user's first
    page, across workspaces) or "workspace" (a workspace's front page).

    ``render(request)`` for "home", ``render(request, workspace)`` for "workspace", returns HTML (a
    ``SafeString``) or None when the panel has nothing to add for this user.
    """

    place: str
    key: str
    render: Callable[..., Any]
    order: int = 100


PANEL_PLACES = frozenset({"home", "workspace"})


@dataclass
class PageRegistry:
    urlpatterns: list[URLPattern | URLResolver] = field(default_factory=list)
    nav: list[NavEntry] = field(default_factory=list)
    tabs: list[Tab] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)
    root_urlpatterns: list[URLPattern | URLResolver] = field(default_factory=list)

    def add_urls(self, patterns: Iterable[URLPattern | URLResolver]) -> None:
        """URL patterns served under ``/w/<workspace>/``; their views take ``workspace`` (the slug)."""
        self.urlpatterns.extend(patterns)

    def add_nav(self, section: str, label: Any, url_name: str, order: int = 100, action: str = "view") -> None:
        if section not in SECTIONS:
            raise ValueError(f"unknown navigation section {section!r} (one of {', '.join(SECTIONS)})")
        self.nav.append(NavEntry(section, label, url_name, order, action))

    def add_tab(self, key: str, label: Any, render: Callable[..., Any], types: Iterable[str] | None = None,
                order: int = 100) -> None:
        self.tabs.append(Tab(key, label, render, frozenset(types) if types is not None else None, order))

    def add_panel(self, place: str, key: str, render: Callable[..., Any], order: int = 100) -> None:
        if place not in PANEL_PLACES:
            raise ValueError(f"unknown panel place {place!r} (one of {', '.join(sorted(PANEL_PLACES))})")
        self.panels.append(Panel(place, key, render, order))

    def panels_for(self, place: str) -> list[Panel]:
        return sorted((p for p in self.panels if p.place == place), key=lambda p: p.order)

    def add_root_urls(self, patterns: Iterable[URLPattern | URLResolver]) -> None:
        """URL patterns served at the site's root, outside any workspace (their views check sign-in)."""
        self.root_urlpatterns.extend(patterns)

    def tabs_for(self, singular: str) -> list[Tab]:
        return sorted((t for t in self.tabs if t.types is None or singular in t.types), key=lambda t: t.order)


pages = PageRegistry()
_loaded = False


def load_domain_pages() -> None:
    """Import the ``web.py`` of every installed Mue app (once)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    for config in apps.get_app_configs():
        if config.name.startswith("mue.") and config.name != "mue.web":
            module = f"{config.name}.web"
            if importlib.util.find_spec(module):
                importlib.import_module(module)
