"""What every page's layout needs: the user's workspaces, the current one, the left navigation."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.functional import lazy
from django.utils.text import capfirst

from mue.core.access import allowed_actions, workspaces_for
from mue.core.registry import registry
from mue.web.pages import SECTIONS, pages
from mue.web.spec import type_segment


@dataclass
class NavLink:
    label: Any
    url: str
    active: bool


@dataclass
class NavSection:
    key: str
    label: Any
    links: list[NavLink]


def _section_labels() -> dict[str, Any]:
    labels: dict[str, Any] = {config.label: config.verbose_name for config in apps.get_app_configs()}
    from django.utils.translation import gettext_lazy as _

    labels["analysis"] = _("Analysis")
    labels["workspace"] = _("Workspace")
    return labels


def build_navigation(request: HttpRequest, workspace, actions: set[str]) -> list[NavSection]:
    """The left navigation of a workspace: register types by domain, then the domains' own pages."""
    path = request.path
    return [NavSection(key, label, [NavLink(text, url, path.startswith(url)) for text, url in links])
            for key, label, links in _navigation_links(get_script_prefix(), workspace.slug, frozenset(actions))]


@lru_cache(maxsize=512)
def _navigation_links(script_prefix: str, workspace_slug: str, actions: frozenset[str]
                      ) -> tuple[tuple[str, Any, tuple[tuple[Any, str], ...]], ...]:
    """The sections and their (label, url) links, reversed once per workspace and set of actions.

    Labels stay lazy translations, so one entry serves every language.
    """
    sections: dict[str, list[tuple[int, Any, str]]] = {key: [] for key in SECTIONS}
    for otype in registry:
        section = otype.section
        if section not in sections:
            continue
        url = reverse("web:object_list", args=[workspace_slug, type_segment(otype)])
        sections[section].append((otype.order, _capitalized(otype.model._meta.verbose_name_plural), url))
    for entry in pages.nav:
        if entry.action not in actions:
            continue
        try:
            url = reverse(entry.url_name, args=[workspace_slug])
        except NoReverseMatch:
            continue
        sections[entry.section].append((entry.order, entry.label, url))
    labels = _section_labels()
    ordered = sorted(sections.items(), key=lambda kv: SECTIONS[kv[0]])
    return tuple((key, labels.get(key, key), tuple((label, url) for _o, label, url in sorted(links, key=_first)))
                 for key, links in ordered if links)


def _first(item: tuple) -> Any:
    return item[0]


def _capitalized(text: Any) -> Any:
    return lazy(lambda: capfirst(text), str)()


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context processor (settings.TEMPLATES): layout data, computed only for signed-in users."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # A page renders its panels with render_to_string(request=...), which runs the context
    # processors again: compute the layout once per request.
    cached = getattr(request, "_mue_navigation", None)
    if cached is not None and cached.get("workspace") == getattr(request, "workspace", None):
        return cached
    workspace = getattr(request, "workspace", None)
    context: dict[str, Any] = {"my_workspaces": list(workspaces_for(user).only("slug", "name"))}
    if workspace is not None:
        actions = getattr(request, "workspace_actions", None)
        if actions is None:
            actions = allowed_actions(user, workspace)
        context.update(
            workspace=workspace,
            can={action: action in actions for action in ("view", "change", "audit", "admin")},
            nav_sections=build_navigation(request, workspace, actions),
        )
    request._mue_navigation = context
    return context
