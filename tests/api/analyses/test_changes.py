"""The change log through the API: a workspace's and an object's, filtered, paged on (time, id)."""

from __future__ import annotations

import pytest

from mue.core.models import ChangeLogEntry

pytestmark = pytest.mark.django_db

BASE = "/api/v1/workspaces/valmont"


def test_an_api_change_is_in_the_object_history(owner, valmont):
    assert owner.patch(f"{BASE}/applications/portail-famille", {"mfa": True}).status_code == 200
    history = owner.get(f"{BASE}/applications/portail-famille/changes").json()["items"]
    latest = history[0]
    assert latest["action"] == "update" and latest["source"] == "api"
    assert latest["before"]["mfa"] is False and latest["after"]["mfa"] is True
    assert history[-1]["action"] == "create"
    assert owner.get(f"{BASE}/applications/nowhere/changes").status_code == 404


def test_workspace_changes_paged_without_overlap(owner, valmont):
    total = ChangeLogEntry.objects.filter(workspace=valmont).count()
    seen, cursor = [], None
    while True:
        page = owner.get(f"{BASE}/changes", limit="100", **({"older": cursor} if cursor else {})).json()
        seen += [e["id"] for e in page["items"]]
        cursor = page["older_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == total > 100
    newer = owner.get(f"{BASE}/changes", limit="25", older=owner.get(f"{BASE}/changes", limit="25").json()[
        "older_cursor"]).json()["newer_cursor"]
    assert owner.get(f"{BASE}/changes", limit="25", newer=newer).json()["items"][0]["id"] == seen[0]


def test_filters(owner, valmont):
    owner.patch(f"{BASE}/applications/portail-famille", {"mfa": True})
    updates = owner.get(f"{BASE}/changes", action="update", type="application").json()["items"]
    assert [e["object_slug"] for e in updates] == ["portail-famille"]
    assert owner.get(f"{BASE}/changes", since="2000-01-01", until="2000-01-02").json()["items"] == []
    for params, field in (({"since": "yesterday"}, "since"), ({"action": "explode"}, "action"),
                          ({"older": "garbage"}, "older")):
        response = owner.get(f"{BASE}/changes", **params)
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == field
