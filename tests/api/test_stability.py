"""``/api/v1/`` never changes incompatibly: the generated OpenAPI document against the committed one.

Any removal (path, operation, parameter, response code, schema, property) or type change fails until
it is declared, i.e. the committed ``openapi-v1.json`` is regenerated on purpose with
``MUE_UPDATE_OPENAPI=1 pytest tests/api/test_stability.py`` in the same commit. Additions pass.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from mue.api.api import api

COMMITTED = Path(__file__).with_name("openapi-v1.json")
METHODS = ("get", "post", "put", "patch", "delete")


def _types(schema: dict[str, Any]) -> Any:
    if "$ref" in schema:
        return schema["$ref"]
    kind = schema.get("type")
    return sorted(kind) if isinstance(kind, list) else kind


def _compare_schema(where: str, old: dict[str, Any], new: dict[str, Any], out: list[str]) -> None:
    if _types(old) != _types(new) and not (old.get("anyOf") or new.get("anyOf")):
        out.append(f"{where}: type {_types(old)} became {_types(new)}")
    for name, prop in old.get("properties", {}).items():
        if name not in new.get("properties", {}):
            out.append(f"{where}.{name}: removed")
        else:
            _compare_schema(f"{where}.{name}", prop, new["properties"][name], out)
    if "items" in old and "items" in new:
        _compare_schema(f"{where}[]", old["items"], new["items"], out)
    removed = set(old.get("enum", [])) - set(new.get("enum", old.get("enum", [])))
    if removed:
        out.append(f"{where}: values removed {sorted(map(str, removed))}")


def incompatibilities(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for path, operations in old["paths"].items():
        if path not in new["paths"]:
            out.append(f"{path}: removed")
            continue
        for method in METHODS:
            if method not in operations:
                continue
            where = f"{method.upper()} {path}"
            now = new["paths"][path].get(method)
            if now is None:
                out.append(f"{where}: removed")
                continue
            params = {(p["in"], p["name"]): p for p in now.get("parameters", [])}
            for p in operations[method].get("parameters", []):
                current = params.get((p["in"], p["name"]))
                if current is None:
                    out.append(f"{where}: parameter {p['name']} removed")
                else:
                    _compare_schema(f"{where} ?{p['name']}", p["schema"], current["schema"], out)
            for code in operations[method].get("responses", {}):
                if code not in now.get("responses", {}):
                    out.append(f"{where}: response {code} removed")
    for name, schema in old["components"]["schemas"].items():
        current = new["components"]["schemas"].get(name)
        if current is None:
            out.append(f"schema {name}: removed")
        else:
            _compare_schema(f"schema {name}", schema, current, out)
            added = set(current.get("required", [])) - set(schema.get("required", []))
            if added and not name.endswith(("Page",)) and name not in _answers(new):
                out.append(f"schema {name}: now requires {sorted(added)}")
    return out


def _answers(document: dict[str, Any]) -> set[str]:
    """Schemas only answered (never sent): a new required key there is an addition for clients."""
    return {"Error", "ErrorItem", "WorkspaceOut"}


def generated() -> dict[str, Any]:
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))


def test_the_api_is_compatible_with_the_committed_document():
    document = generated()
    if os.environ.get("MUE_UPDATE_OPENAPI"):
        COMMITTED.write_text(json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    assert incompatibilities(json.loads(COMMITTED.read_text()), document) == []


def test_the_comparison_catches_removals_and_type_changes():
    old = generated()
    new = json.loads(json.dumps(old))
    assert incompatibilities(old, new) == []
    new["paths"]["/api/v1/workspaces/{workspace}/applications"].pop("get")
    new["components"]["schemas"]["Application"]["properties"]["seats"]["type"] = "string"
    del new["components"]["schemas"]["DataFlow"]["properties"]["protocol"]
    new["paths"]["/api/v1/workspaces/{workspace}/flows"]["get"]["parameters"].pop()
    new["paths"]["/api/v1/workspaces/{workspace}/units/{slug}"]["get"]["responses"].pop("404")
    new["components"]["schemas"]["ApplicationNew"].setdefault("required", []).append("owner")
    found = "\n".join(incompatibilities(old, new))
    for expected in ("GET /api/v1/workspaces/{workspace}/applications: removed", "schema Application.seats: type",
                     "schema DataFlow.protocol: removed", "parameter fields removed", "response 404 removed",
                     "schema ApplicationNew: now requires ['owner']"):
        assert expected in found, found
    new = json.loads(json.dumps(old))
    new["paths"]["/api/v1/new"] = {"get": {}}
    new["components"]["schemas"]["Application"]["properties"]["new_key"] = {"type": "string"}
    assert incompatibilities(old, new) == []
