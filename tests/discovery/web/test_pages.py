"""The discovery pages: upload a log (size-limited) or read one on the server, the run as a job, the
services found (sorted, filtered, paginated), unknown domains, adding shadow IT, runs compared."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mue.discovery.models import DiscoveredService, DiscoveryRun
from mue.jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def inline_jobs(settings, tmp_path):
    settings.MUE_JOBS_RUNNER = "inline"
    settings.VAR_DIR = tmp_path


def _upload(client, logs, name="squid_small.log"):
    data = (logs / name).read_bytes()
    return client.post(reverse("web:discovery_upload", args=["valmont"]),
                       {"logs": SimpleUploadedFile(name, data), "fmt": "auto"})


@pytest.fixture
def discovered(owner_client, valmont, logs):
    response = _upload(owner_client, logs)
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    return DiscoveryRun.objects.get(workspace=valmont)


def test_home_empty_then_upload_runs_a_job_and_deletes_the_upload(owner_client, valmont, logs, tmp_path):
    page = owner_client.get(reverse("web:discovery", args=["valmont"]))
    assert page.status_code == 200 and b"No discovery run yet" in page.content
    response = _upload(owner_client, logs)
    job = Job.objects.get(workspace=valmont, kind="discovery")
    assert job.status == "succeeded", job.error
    run = DiscoveryRun.objects.get(workspace=valmont)
    assert job.result["run"] == run.pk and run.lines > 0
    assert not any((tmp_path / "uploads" / "discovery").iterdir())  # raw logs are not kept
    job_page = owner_client.get(response["Location"])
    assert reverse("web:discovery_run", args=["valmont", run.pk]).encode() in job_page.content


def test_upload_too_large_is_refused_with_a_message(owner_client, valmont, logs, settings):
    settings.MUE_MAX_UPLOAD_BYTES = 100
    response = _upload(owner_client, logs)
    assert response.status_code == 302
    page = owner_client.get(response["Location"])
    assert b"larger than this server accepts" in page.content
    assert not Job.objects.exists()


def test_no_file_is_refused(owner_client, valmont):
    response = owner_client.post(reverse("web:discovery_upload", args=["valmont"]), {"fmt": "auto"})
    assert b"Choose at least one log file" in owner_client.get(response["Location"]).content


def test_run_page_lists_services_sorted_and_filtered(owner_client, discovered):
    url = reverse("web:discovery_run", args=["valmont", discovered.pk])
    page = owner_client.get(url).content.decode()
    assert "dropbox" in page and "Unknown domains" in page
    services = list(DiscoveredService.objects.filter(run=discovered))
    assert len(services) >= 2
    by_name = owner_client.get(url, {"sort": "name"})
    names = [s.name for s in by_name.context["page"].rows]
    assert names == sorted(names)
    shadow = owner_client.get(url, {"register": "shadow"}).context["page"].rows
    assert shadow and all(s.application_id is None for s in shadow)


def test_add_a_shadow_service_to_the_register(owner_client, valmont, discovered):
    from mue.applications.models import Application

    # Valmont already has Dropbox in its register (dropbox-urbanisme): it is that application, not shadow IT.
    dropbox = DiscoveredService.objects.get(run=discovered, service_id="dropbox")
    assert dropbox.application.slug == "dropbox-urbanisme" and not dropbox.is_shadow
    response = owner_client.post(reverse("web:discovery_add_shadow", args=["valmont"]),
                                 {"service": "slack", "next": f"/w/valmont/discovery/runs/{discovered.pk}/"})
    assert response.status_code == 302
    app = Application.objects.get(workspace=valmont, slug="slack")
    assert app.status == "shadow"
    assert DiscoveredService.objects.get(run=discovered, service_id="slack").application_id == app.pk
    page = owner_client.get(response["Location"]).content.decode()
    assert "added to the register as a shadow application" in page


def test_viewer_may_not_upload_nor_add(client, valmont, member_factory, discovered, logs):
    client.force_login(member_factory(valmont, "viewer"))
    assert client.get(reverse("web:discovery_run", args=["valmont", discovered.pk])).status_code == 200
    assert _upload(client, logs).status_code == 404
    assert client.post(reverse("web:discovery_add_shadow", args=["valmont"]), {"service": "dropbox"}).status_code == 404


def test_server_path_for_site_administrators_only(owner_client, valmont, logs, django_user_model, client):
    url = reverse("web:discovery_server", args=["valmont"])
    assert owner_client.post(url, {"paths": str(logs / "squid_small.log"), "fmt": "squid"}).status_code == 404
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw-123456789")
    from mue.core.models import Membership

    Membership.objects.create(workspace=valmont, user=admin, role="auditor")
    client.force_login(admin)
    refused = client.post(url, {"paths": "/no/such/file.log", "fmt": "auto"})
    assert b"is not a file the server can read" in client.get(refused["Location"]).content
    assert client.post(url, {"paths": str(logs / "squid_small.log"), "fmt": "squid"}).status_code == 302
    assert DiscoveryRun.objects.filter(workspace=valmont).count() == 1
    assert (logs / "squid_small.log").exists()  # a server file is read, never deleted


def test_compare_two_runs(owner_client, valmont, logs, discovered):
    _upload(owner_client, logs, "zeek_dns.log")
    page = owner_client.get(reverse("web:discovery_compare", args=["valmont"]))
    assert page.status_code == 200 and page.context["rows"]
    home = owner_client.get(reverse("web:discovery", args=["valmont"])).content.decode()
    assert 'data-mue-chart="discovery-trend"' in home


def test_a_failed_job_says_why_and_where_to_start_again(owner_client, valmont):
    from mue.jobs.runner import submit

    job = submit("discovery", valmont, None, paths=["/no/such/access.log"])
    assert job.status == "failed"
    page = owner_client.get(reverse("web:job", args=["valmont", job.pk])).content.decode()
    assert "These files cannot be read: /no/such/access.log" in page
    assert 'href="/w/valmont/discovery/"' in page and "Back to start it again" in page


def test_job_status_polls_until_finished_then_sends_to_the_result(owner_client, valmont, logs):
    response = _upload(owner_client, logs)
    status_url = response["Location"] + "status/?follow=1"
    polled = owner_client.get(status_url, HTTP_HX_REQUEST="true")
    run = DiscoveryRun.objects.get(workspace=valmont)
    assert polled["HX-Redirect"] == reverse("web:discovery_run", args=["valmont", run.pk])
    assert b"hx-trigger" not in polled.content  # finished: no more polling
    job = Job.objects.get(workspace=valmont)
    Job.objects.filter(pk=job.pk).update(status="running", finished=None, heartbeat=job.finished, pid=None)
    running = owner_client.get(status_url, HTTP_HX_REQUEST="true")
    assert b'hx-trigger="every 1s"' in running.content and "HX-Redirect" not in running


def test_unrecognised_logs_fail_the_job_with_a_message_for_the_page(owner_client, valmont, tmp_path):
    response = owner_client.post(reverse("web:discovery_upload", args=["valmont"]),
                                 {"logs": SimpleUploadedFile("notes.txt", b"hello\nworld\n"), "fmt": "auto"})
    job = Job.objects.get(workspace=valmont)
    assert job.status == "failed"
    assert "was not recognised" in job.error and "choose it in the form" in job.error
    assert str(tmp_path) not in job.error and "(notes.txt: format not recognised" in job.error
    assert "not recognised" in owner_client.get(response["Location"]).content.decode()
