"""What every page's layout needs: the user's workspaces, the current one, the left navigation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

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
    sections: dict[str, list[tuple[int, NavLink]]] = {key: [] for key in SECTIONS}
    for otype in registry:
        section = otype.model._meta.app_label
        if section not in sections:
            continue
        url = reverse("web:object_list", args=[workspace.slug, type_segment(otype)])
        sections[section].append((otype.order, NavLink(otype.label_plural.capitalize(), url, path.startswith(url))))
    for entry in pages.nav:
        if entry.action not in actions:
            continue
        try:
            url = reverse(entry.url_name, args=[workspace.slug])
        except NoReverseMatch:
            continue
        sections[entry.section].append((entry.order, NavLink(entry.label, url, path.startswith(url))))
    labels = _section_labels()
    return [NavSection(key, labels.get(key, key), [link for _o, link in sorted(links, key=lambda x: x[0])])
            for key, links in sorted(sections.items(), key=lambda kv: SECTIONS[kv[0]]) if links]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context processor (settings.TEMPLATES): layout data, computed only for signed-in users."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
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
    return context
