"""A whole map through the API: exported, imported back unchanged, previewed, refused with its problems."""

from __future__ import annotations

import pytest
import yaml

from mue.applications.models import Application
from mue.core.models import ChangeLogEntry

pytestmark = pytest.mark.django_db

URL = "/api/v1/workspaces/valmont/map"


def test_export_then_import_changes_nothing(owner, valmont):
    document = owner.get(URL).json()
    assert document["workspace"]["slug"] == "valmont" and len(document["applications"]) == Application.objects.filter(
        workspace=valmont).count()
    before = ChangeLogEntry.objects.count()
    report = owner.post(URL, document).json()
    assert report["created"] == {} and report["updated"] == {} and report["unchanged"]["applications"] > 0
    assert ChangeLogEntry.objects.count() == before


def test_yaml_both_ways(owner, valmont):
    response = owner.get(URL, format="yaml")
    assert response["Content-Type"].startswith("application/yaml")
    document = yaml.safe_load(response.content)
    document["applications"][0]["description"] = "Changé par un script"
    body = yaml.safe_dump(document, allow_unicode=True).encode()
    report = owner.client.post(URL, body, content_type="application/yaml", headers=owner.headers).json()
    assert report["updated"] == {"applications": 1}


def test_dry_run_writes_nothing(owner, valmont):
    new = {"applications": [{"slug": "nouvelle", "name": "Nouvelle", "kind": "saas"}]}
    report = owner.post(URL + "?dry_run=true", new).json()
    assert report["dry_run"] and report["created"] == {"applications": 1}
    assert report["changes"][0]["slug"] == "nouvelle"
    assert not Application.objects.filter(slug="nouvelle").exists()


def test_a_wrong_document_lists_every_problem_and_writes_nothing(owner, valmont):
    before = ChangeLogEntry.objects.count()
    response = owner.post(URL, {"applications": [{"slug": "ok", "name": "OK", "kind": "saas"},
                                                 {"slug": "bad", "name": "Bad", "kind": "spaceship"},
                                                 {"slug": "worse", "name": "Worse", "vendor": "no-such-vendor"}]})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"kind", "vendor"} <= fields
    assert ChangeLogEntry.objects.count() == before and not Application.objects.filter(slug="ok").exists()


@pytest.mark.parametrize(("body", "status"), [
    (b"", 400), (b"{not json", 422), (b"[1, 2]", 422), (b'{"workspace": {"slug": "elsewhere"}}', 422)])
def test_malformed_bodies(owner, valmont, body, status):
    assert owner.post(URL, body).status_code == status


def test_a_viewer_exports_but_does_not_import(valmont, member):
    _user, viewer = member(valmont, "viewer")
    assert viewer.get(URL).status_code == 200
    assert viewer.post(URL, {"applications": []}).status_code == 403
