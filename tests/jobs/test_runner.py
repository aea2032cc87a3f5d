"""The job runner: submitting, running in-process, failures, dead processes, and the real detached
``mue job run`` process on an instance of its own."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from mue.jobs import runner
from mue.jobs.models import Job, JobStatus
from mue.jobs.runner import JobError, register

ROOT = Path(__file__).resolve().parents[2]


@register("test-echo", "echo")
def _echo(ctx, value: int = 0) -> dict:
    ctx.progress(0, 3, message="starting")
    for _ in range(3):
        ctx.progress(advance=1)
    return {"value": value, "user": ctx.user.get_username() if ctx.user else None}


@register("test-refuse", "refuse")
def _refuse(ctx) -> dict:
    raise JobError("nothing to read")


@register("test-crash", "crash")
def _crash(ctx) -> dict:
    raise RuntimeError("boom")


@pytest.fixture
def inline(settings):
    settings.MUE_JOBS_RUNNER = "inline"


@pytest.fixture
def user(django_user_model, db):
    return django_user_model.objects.create_user("camille", password="pw-123456789")


def test_submit_inline_runs_and_keeps_progress_and_result(inline, workspace, user):
    job = runner.submit("test-echo", workspace, user, value=7)
    assert job.status == JobStatus.SUCCEEDED
    assert job.result == {"value": 7, "user": "camille"}
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    assert job.started and job.finished and job.pid == os.getpid() and job.created_by == user


def test_unknown_kind_is_refused(inline, workspace, user):
    with pytest.raises(ValueError, match="unknown job kind"):
        runner.submit("no-such-kind", workspace, user)


def test_a_user_error_and_a_crash_fail_the_job_with_a_message(inline, workspace, user):
    refused = runner.submit("test-refuse", workspace, user)
    assert refused.status == JobStatus.FAILED and refused.error == "nothing to read"
    crashed = runner.submit("test-crash", workspace, user)
    assert crashed.status == JobStatus.FAILED and "RuntimeError: boom" in crashed.error


def test_a_job_is_run_once(inline, workspace, user):
    job = runner.submit("test-echo", workspace, user)
    again = runner.run(job.pk)
    assert again.status == JobStatus.SUCCEEDED and again.finished == job.finished


def test_subprocess_mode_spawns_on_commit(settings, workspace, user, django_capture_on_commit_callbacks,
                                          monkeypatch):
    settings.MUE_JOBS_RUNNER = "subprocess"
    spawned = []
    monkeypatch.setattr(runner, "spawn", spawned.append)
    with django_capture_on_commit_callbacks(execute=True):
        job = runner.submit("test-echo", workspace, user)
        assert spawned == [] and job.status == JobStatus.QUEUED  # not before the row is committed
    assert spawned == [job.pk]
    assert runner.command(job.pk)[-3:] == ["job", "run", str(job.pk)]


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_running_job_whose_process_died_is_marked_failed(workspace, user):
    now = timezone.now()
    job = Job.objects.create(workspace=workspace, kind="test-echo", status=JobStatus.RUNNING, started=now,
                             heartbeat=now, pid=_dead_pid(), host=socket.gethostname())
    refreshed = runner.refresh(job)
    assert refreshed.status == JobStatus.FAILED and refreshed.error == runner.DIED
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED


def test_a_process_with_the_same_id_but_another_command_is_not_the_job(workspace):
    assert runner.process_alive(os.getpid(), 987654) is False  # pytest's own process, not "job run 987654"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)", "job", "run", "42"])
    try:
        # A job's pid is written by the job's own process, after its exec; here, wait for the exec.
        deadline = time.monotonic() + 10
        while b"sleep" not in Path(f"/proc/{sleeper.pid}/cmdline").read_bytes() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert runner.process_alive(sleeper.pid, 42) is True
    finally:
        sleeper.kill()
        sleeper.wait()
    assert runner.process_alive(sleeper.pid, 42) is False


def test_a_silent_job_on_another_host_is_marked_failed(workspace):
    old = timezone.now() - runner.STALE_AFTER - timedelta(seconds=5)
    job = Job.objects.create(workspace=workspace, kind="test-echo", status=JobStatus.RUNNING, started=old,
                             heartbeat=old, pid=1, host="another-host")
    assert runner.refresh(job).status == JobStatus.FAILED
    alive = Job.objects.create(workspace=workspace, kind="test-echo", status=JobStatus.RUNNING,
                               started=timezone.now(), heartbeat=timezone.now(), pid=1, host="another-host")
    assert runner.refresh(alive).status == JobStatus.RUNNING


def test_a_job_never_started_is_marked_failed(settings, workspace):
    settings.MUE_JOBS_RUNNER = "subprocess"
    job = Job.objects.create(workspace=workspace, kind="test-echo")
    Job.objects.filter(pk=job.pk).update(created=timezone.now() - runner.NEVER_STARTED_AFTER - timedelta(seconds=1))
    assert runner.reap(Job.objects.filter(pk=job.pk)) == 1
    assert Job.objects.get(pk=job.pk).error == runner.NEVER_STARTED
    assert runner.running(workspace, "test-echo") is None


SCRIPT = textwrap.dedent("""
    import json, os, time
    import django
    django.setup()
    from django.contrib.auth import get_user_model
    from mue.core.models import Workspace
    from mue.jobs import runner
    from mue.jobs.models import Job
    ws = Workspace.objects.create(slug="sub", name="Sub")
    user = get_user_model().objects.create_user("advisor", password="pw-123456789")
    job = runner.submit("audit", ws, user)      # autocommit: spawned at once, detached
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in ("succeeded", "failed"):
            break
        time.sleep(0.2)
    print(json.dumps({"status": job.status, "error": job.error, "pid": job.pid, "me": os.getpid(),
                      "run": job.result.get("run"), "actor": job.created_by.get_username()}))
""")


def test_the_real_detached_process_runs_an_audit(tmp_path):
    """``submit`` in subprocess mode starts ``mue job run <id>``, which claims the job, runs the audit and
    records the result, in a process of its own (an instance of its own: the test database is in memory)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MUE_JOBS_RUNNER")}
    env.update(MUE_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="mue.settings", MUE_SECRET_KEY="test-" + "x" * 50,
               PYTHONPATH=str(ROOT / "src"))
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v0"], env=env, check=True, cwd=tmp_path,
                   timeout=300)
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["status"] == "succeeded", result
    assert result["pid"] != result["me"] and result["run"]
    log = next((tmp_path / "jobs").glob("*.log")).read_text()
    assert "(audit): Finished." in log  # what `mue job run` printed, in the job's log file
