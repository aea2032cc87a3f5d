"""Large imports from the import page run as jobs: the page hands over to the job, the job writes the
preview or the import where the page reads it, a dead job says so; small ones stay in the request."""

from __future__ import annotations

import csv
import io

import pytest
import yaml

from mue.applications.models import Application
from mue.core.models import ChangeLogEntry
from mue.interchange.models import ImportUpload
from mue.jobs.models import Job, JobStatus
from mue.jobs.runner import run
from tests.interchange.test_import_page import _form_data, _upload

pytestmark = pytest.mark.django_db


def _csv(count: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["slug", "name", "kind"])
    for i in range(count):
        writer.writerow([f"gros-{i}", f"Logiciel {i}", "saas"])
    return out.getvalue().encode()


@pytest.fixture
def small_threshold(settings):
    settings.MUE_IMPORT_JOB_ROWS = 5
    settings.MUE_IMPORT_JOB_BYTES = 200


def test_a_large_sheet_is_previewed_and_imported_by_a_job(owner, valmont, small_threshold, settings):
    settings.MUE_JOBS_RUNNER = "inline"
    upload = _upload(owner, "applications.csv", _csv(12))
    fields = _form_data(owner, upload)
    response = owner.post(f"/w/valmont/import/{upload.pk}/", {**fields, "action": "preview"})
    job = Job.objects.get(kind="import")
    assert response.status_code == 302 and response["Location"] == f"/w/valmont/jobs/{job.pk}/"
    assert job.status == JobStatus.SUCCEEDED and job.total == 12 and job.done == 12
    assert job.result == {"upload": upload.pk, "preview": True, "ok": True, "created": 12, "updated": 0,
                          "problems": 0}
    upload.refresh_from_db()
    assert upload.result["ok"] and upload.result["preview"] and upload.result["created"] == 12
    assert not Application.objects.filter(slug__startswith="gros-").exists()  # a preview writes nothing
    page = owner.get(f"/w/valmont/jobs/{job.pk}/").content.decode()
    assert f"/w/valmont/import/{upload.pk}/#result" in page  # the job page leads to the result

    owner.post(f"/w/valmont/import/{upload.pk}/", {**_form_data(owner, upload), "action": "import"})
    assert Application.objects.filter(workspace=valmont, slug__startswith="gros-").count() == 12
    entries = ChangeLogEntry.objects.filter(workspace=valmont, object_type="application",
                                            object_slug__startswith="gros-")
    assert entries.count() == 12 and {e.actor_name for e in entries} == {"owner"}
    upload.refresh_from_db()
    assert upload.result["ok"] and not upload.result["preview"]


def test_the_page_says_a_job_runs_then_shows_its_result(owner, valmont, small_threshold, settings):
    settings.MUE_JOBS_RUNNER = "subprocess"  # started on commit: inside the test's transaction it waits
    upload = _upload(owner, "applications.csv", _csv(8))
    owner.post(f"/w/valmont/import/{upload.pk}/", {**_form_data(owner, upload), "action": "preview"})
    job = Job.objects.get(kind="import")
    assert job.status == JobStatus.QUEUED
    page = owner.get(f"/w/valmont/import/{upload.pk}/").content.decode()
    assert "Preview running as a background job" in page and f"/w/valmont/jobs/{job.pk}/" in page
    run(job.pk)  # what the detached process does
    page = owner.get(f"/w/valmont/import/{upload.pk}/").content.decode()
    assert "Preview: what the import will do" in page and "8 created" in page


def test_a_job_that_died_leaves_the_page_saying_so(owner, valmont, small_threshold, settings):
    settings.MUE_JOBS_RUNNER = "subprocess"
    upload = _upload(owner, "applications.csv", _csv(8))
    owner.post(f"/w/valmont/import/{upload.pk}/", {**_form_data(owner, upload), "action": "import"})
    job = Job.objects.get(kind="import")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="Out of memory")
    page = owner.get(f"/w/valmont/import/{upload.pk}/").content.decode()
    assert "The import stopped before its end: nothing has been written" in page and "Out of memory" in page
    assert not Application.objects.filter(slug__startswith="gros-").exists()


def test_a_large_map_file_is_previewed_by_a_job_from_its_upload(owner, valmont, small_threshold, settings):
    settings.MUE_JOBS_RUNNER = "inline"
    text = yaml.safe_dump({"applications": [{"slug": f"carte-{i}", "name": f"Carte {i}", "kind": "saas"}
                                            for i in range(10)]}).encode()
    upload = _upload(owner, "carte.yaml", text)
    job = Job.objects.get(kind="import")
    assert job.finished_ok and job.params == {"upload": upload.pk, "dry_run": True} and job.total == 10
    upload.refresh_from_db()
    assert upload.result["ok"] and upload.result["created"] == 10
    response = owner.post(f"/w/valmont/import/{upload.pk}/", {"action": "import"})
    assert response["Location"].startswith("/w/valmont/jobs/")
    assert Application.objects.filter(workspace=valmont, slug__startswith="carte-").count() == 10


def test_a_small_file_stays_in_the_request(owner, valmont, settings):
    settings.MUE_JOBS_RUNNER = "inline"
    upload = _upload(owner, "applications.csv", _csv(3))
    response = owner.post(f"/w/valmont/import/{upload.pk}/", {**_form_data(owner, upload), "action": "preview"})
    assert response["Location"].endswith("#result") and not Job.objects.exists()
    assert ImportUpload.objects.get(pk=upload.pk).result["created"] == 3


def test_a_job_whose_upload_is_gone_fails_with_a_message(owner, valmont, small_threshold, settings):
    settings.MUE_JOBS_RUNNER = "subprocess"
    upload = _upload(owner, "applications.csv", _csv(8))
    owner.post(f"/w/valmont/import/{upload.pk}/", {**_form_data(owner, upload), "action": "preview"})
    job = Job.objects.get(kind="import")
    upload.delete()
    done = run(job.pk)
    assert done.status == JobStatus.FAILED and "upload it again" in done.error
