"""Discovery through the API: upload logs, poll the job, read the run and the services found."""

from __future__ import annotations

from pathlib import Path

import pytest

from mue.discovery.models import DiscoveredService, DiscoveryRun

pytestmark = pytest.mark.django_db

BASE = "/api/v1/workspaces/valmont/discovery"
LOGS = Path(__file__).resolve().parents[2] / "fixtures" / "logs"


def upload(api, *names: str, fmt: str = "auto"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [SimpleUploadedFile(name, (LOGS / name).read_bytes()) for name in names]
    return api.client.post(f"{BASE}/runs", {"logs": files, "format": fmt}, headers=api.headers)


def test_upload_logs_then_read_what_was_found(owner, valmont, tmp_path):
    response = upload(owner, "squid_small.log")
    assert response.status_code == 202, response.content
    job = owner.get(response.json()["url"]).json()
    assert job["status"] == "succeeded", job
    run = owner.get(f"{BASE}/runs/{job['result']['run']}").json()
    stored = DiscoveryRun.objects.get(pk=job["result"]["run"])
    assert run["lines"] == stored.lines > 0 and run["files"][0]["name"] == "squid_small.log"
    services = owner.get(run["services_url"]).json()["items"]
    assert {s["service"] for s in services} == set(
        DiscoveredService.objects.filter(run=stored).values_list("service_id", flat=True))
    assert [s["users"] for s in services] == sorted((s["users"] for s in services), reverse=True)
    shadow = owner.get(run["services_url"], shadow="true").json()["items"]
    assert all(s["shadow"] for s in shadow)
    assert owner.get(f"{BASE}/runs").json()["items"][0]["id"] == stored.pk
    assert not list((tmp_path / "uploads" / "discovery").rglob("*.log"))  # the raw log is gone


@pytest.mark.parametrize(("post", "field"), [({}, "logs"), ({"format": "tcpdump"}, "format")])
def test_bad_uploads_are_422(owner, valmont, post, field):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = dict(post)
    if field == "format":
        data["logs"] = [SimpleUploadedFile("a.log", b"x")]
    response = owner.client.post(f"{BASE}/runs", data, headers=owner.headers)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == field
    assert not DiscoveryRun.objects.exists()


def test_too_large_is_413(owner, valmont, settings):
    settings.MUE_MAX_UPLOAD_BYTES = 100
    response = upload(owner, "squid_small.log")
    assert response.status_code == 413 and response.json()["code"] == "too_large"


def test_unreadable_logs_fail_the_job_with_a_reason(owner, valmont, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = owner.client.post(f"{BASE}/runs", {"logs": [SimpleUploadedFile("notes.txt", b"hello\nworld\n")]},
                                 headers=owner.headers)
    job = owner.get(response.json()["url"]).json()
    assert job["status"] == "failed" and "format" in job["error"]


def test_a_viewer_reads_but_does_not_upload(valmont, member):
    _user, viewer = member(valmont, "viewer")
    assert upload(viewer, "squid_small.log").status_code == 403
    assert viewer.get(f"{BASE}/runs").status_code == 200
    assert viewer.get(f"{BASE}/runs/999").status_code == 404
