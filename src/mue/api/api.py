"""The ``/api/v1/`` application: its routers, authentication, errors and OpenAPI 3.1 document.

``/api/v1/`` never changes incompatibly: ``tests/api/test_stability.py`` compares the generated
document with the committed ``tests/api/openapi-v1.json`` and fails on any removal or type change.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja import NinjaAPI, Router, Schema

from mue.api import errors, schemas
from mue.api.analyses import analysis_routers
from mue.api.auth import AUTH, TokenRateThrottle, caller, workspace_for
from mue.api.errors import ERROR_RESPONSES
from mue.api.registers import register_router
from mue.core.access import Action, allowed_actions, grants, role_of, workspaces_for
from mue.core.registry import registry

DESCRIPTION = """The register of Mue: every type of object, in every workspace the caller is a member of.

Authenticate with a personal token (`Authorization: Bearer mue_…`, created on your account page or
with `mue token create`); your roles in each workspace apply. Objects are map items: references by
slug, the same shape as map files. Errors have a stable `code`, the `field` and a translated
`message`. See docs/api.md for examples."""


class MueAPI(NinjaAPI):
    """The document is made once per process, in English (the contract's language, whatever the caller's)."""

    _documents: dict[str, dict[str, Any]] = {}

    def get_openapi_schema(self, *args: Any, path_prefix: str | None = None, **kwargs: Any) -> dict[str, Any]:
        key = str(path_prefix)
        if key not in self._documents:
            with translation.override("en"):
                schema = super().get_openapi_schema(*args, path_prefix=path_prefix, **kwargs)
                components = schema.setdefault("components", {}).setdefault("schemas", {})
                for otype in registry:
                    components.update(schemas.components(otype.key))
            self._documents[key] = schema
        return self._documents[key]


api = MueAPI(title="Mue API", version="1", description=DESCRIPTION, urls_namespace="api", auth=AUTH,
             throttle=[TokenRateThrottle()], docs_url=None, openapi_url="/openapi.json")
errors.install(api)


class WorkspaceOut(Schema):
    slug: str
    name: str
    kind: str
    role: str | None
    actions: list[str]


workspaces = Router(tags=["Workspaces"])


@workspaces.get("/workspaces", response={200: list[WorkspaceOut], **ERROR_RESPONSES}, operation_id="list_workspaces",
                summary="The workspaces you are a member of")
def list_workspaces(request: HttpRequest) -> list[dict[str, Any]]:
    from mue.core.models import Membership

    user = caller(request)
    roles = {m.workspace_id: m for m in Membership.objects.filter(user=user)}
    out = []
    for ws in workspaces_for(user).order_by("name", "pk"):  # two queries, however many workspaces
        m = roles.get(ws.pk)
        actions = sorted(a for a in Action if m is not None and user.is_active and grants(m.role, m.can_edit, a))
        out.append({"slug": ws.slug, "name": ws.name, "kind": ws.kind, "role": m.role if m else None,
                    "actions": actions})
    return out


@workspaces.get("/workspaces/{workspace}", response={200: WorkspaceOut, **ERROR_RESPONSES},
                operation_id="get_workspace", summary="One workspace, with your role and what it allows")
def get_workspace(request: HttpRequest, workspace: str) -> dict[str, Any]:
    ws = workspace_for(request, workspace)
    user = caller(request)
    m = role_of(user, ws)
    return {"slug": ws.slug, "name": ws.name, "kind": ws.kind, "role": m.role if m else None,
            "actions": sorted(allowed_actions(user, ws))}


api.add_router("", workspaces)
api.add_router("", register_router())
for analysis in analysis_routers():
    api.add_router("", analysis)
