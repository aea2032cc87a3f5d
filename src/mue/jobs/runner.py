"""Submitting and running jobs: one function for callers, a detached process per job, dead ones detected.

A caller (a page, a command) calls :func:`submit`; the job's row is created and, once the caller's
transaction commits, ``mue job run <id>`` is started as a detached process (its own session, so it
outlives the request, the browser and a restart of the web server). The process claims the row,
runs the kind's function, writes its progress, result or error into the row and exits. Nothing else
is needed: no broker, no worker to install next to ``make run``.

Kinds are registered by domain apps in their ``jobs.py`` module (``@register("audit", _("Audit"))``);
:func:`load_kinds` imports them in every process that runs jobs.

A process that dies (killed, out of memory, machine restarted) cannot mark its job failed: the row
would stay "running" for ever. Every read through :func:`refresh` checks that the process is still
there (same host: its id and command line; any host: its heartbeat, written every few seconds by a
thread of the running process) and marks the job failed otherwise.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mue.jobs.models import Job, JobStatus

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5
#: A running job with no heartbeat for this long is taken for dead, wherever its process ran.
STALE_AFTER = dt.timedelta(seconds=60)
#: A queued job no process claimed within this time will not start (the spawn failed).
NEVER_STARTED_AFTER = dt.timedelta(seconds=60)
PROGRESS_INTERVAL = 0.5  # seconds between two progress writes (the last one is always written)


class JobError(Exception):
    """A failure to tell the user as it is (bad input, nothing to do): no traceback is kept."""


@dataclass(frozen=True)
class JobKind:
    key: str
    label: Any  # a lazy translation
    run: Callable[..., dict | None]
    #: Where the result of a finished job is shown (the run page of an audit), or None.
    result_url: Callable[[Job], str | None] | None = None
    #: The page a job of this kind is started from (to start it again after a failure).
    start_url: Callable[[Job], str | None] | None = None


KINDS: dict[str, JobKind] = {}


def register(key: str, label: Any, result_url: Callable[[Job], str | None] | None = None,
             start_url: Callable[[Job], str | None] | None = None) -> Callable:
    """Declare a kind of job: ``@register("audit", _("Audit"))`` on ``def run(ctx, **params) -> dict``."""

    def decorate(func: Callable[..., dict | None]) -> Callable[..., dict | None]:
        KINDS[key] = JobKind(key, label, func, result_url, start_url)
        return func

    return decorate


_kinds_loaded = False


def load_kinds() -> None:
    """Import the ``jobs.py`` of every installed Mue app (once), which registers their kinds."""
    global _kinds_loaded
    if _kinds_loaded:
        return
    _kinds_loaded = True
    for config in apps.get_app_configs():
        if config.name.startswith("mue.") and config.name != "mue.jobs":
            module = f"{config.name}.jobs"
            if importlib.util.find_spec(module):
                importlib.import_module(module)


def kind_of(job: Job) -> JobKind | None:
    load_kinds()
    return KINDS.get(job.kind)


class JobContext:
    """What a job's function gets: its job, workspace and user, and a way to report progress."""

    def __init__(self, job: Job):
        self.job = job
        self.workspace = job.workspace
        self.user = job.created_by
        self._written = 0.0

    def progress(self, done: int | None = None, total: int | None = None, message: str | None = None,
                 advance: int = 0) -> None:
        """Report progress (``done`` of ``total``, or ``advance`` more done); written at most twice a second."""
        job = self.job
        if total is not None:
            job.total = total
        if done is not None:
            job.done = done
        job.done += advance
        if message is not None:
            job.message = str(message)[:300]
        now = time.monotonic()
        last = job.total is not None and job.done >= job.total
        if now - self._written < PROGRESS_INTERVAL and not last and message is None:
            return
        self._written = now
        Job.objects.filter(pk=job.pk).update(done=job.done, total=job.total, message=job.message,
                                             heartbeat=timezone.now())


# -- submitting ---------------------------------------------------------------------------------------


def submit(kind: str, workspace, user, **params: Any) -> Job:
    """Create a job of ``kind`` in ``workspace`` for ``user`` and have it run; returns it at once.

    ``params`` must be JSON values. With ``MUE_JOBS_RUNNER = "subprocess"`` (the default) the job runs
    in a detached process started when the current transaction commits; with ``"inline"`` (tests, or
    a one-off script) it runs here and now, and the returned job is already finished.
    """
    load_kinds()
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r} (registered: {', '.join(sorted(KINDS))})")
    job = Job.objects.create(workspace=workspace, kind=kind, params=params, language=translation.get_language() or "",
                             created_by=user if getattr(user, "pk", None) else None)
    if runner_mode() == "inline":
        return run(job.pk)
    transaction.on_commit(lambda: spawn(job.pk))
    return job


def runner_mode() -> str:
    return getattr(settings, "MUE_JOBS_RUNNER", "subprocess")


def log_path(job_id: int) -> Path:
    return Path(settings.VAR_DIR) / "jobs" / f"{job_id}.log"


def command(job_id: int) -> list[str]:
    """The command that runs a job: the ``mue`` of this very interpreter (the same install, venv included)."""
    return [sys.executable, "-m", "mue.cli.main", "job", "run", str(job_id)]


def spawn(job_id: int) -> subprocess.Popen:
    """Start ``mue job run <id>`` detached: its own session, no terminal, its output in ``var/jobs/<id>.log``.

    A thread waits for it so that it does not linger as a zombie of a long-lived web server (a zombie
    would still look alive); if the server stops first, the process is adopted by init and goes on.
    """
    path = log_path(job_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "ab") as out:
        process = subprocess.Popen(command(job_id), stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True, close_fds=True, env={**os.environ})
    threading.Thread(target=process.wait, name=f"job-{job_id}-waiter", daemon=True).start()
    return process


# -- running ------------------------------------------------------------------------------------------


def _claim(job_id: int) -> bool:
    """Take the queued job for this process; False when another process has it or it is finished."""
    now = timezone.now()
    return bool(Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started=now, heartbeat=now, pid=os.getpid(), host=socket.gethostname()))


class _Heartbeat(threading.Thread):
    """Writes the job's heartbeat every few seconds while its function runs (it may report no progress)."""

    def __init__(self, job_id: int):
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.job_id = job_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(HEARTBEAT_SECONDS):
                Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(heartbeat=timezone.now())
        except Exception:  # a missed heartbeat is not worth killing the job for
            log.exception("heartbeat of job %s", self.job_id)
        finally:
            connection.close()


def run(job_id: int, heartbeat: bool = False) -> Job:
    """Claim and run job ``job_id`` in this process; returns the job as it ended.

    Its function runs in one change context (the job's user, source "job"), so what it changes is
    logged as theirs. A :class:`JobError` is shown as it is; any other exception is shown as an
    unexpected error and its traceback goes to the log.
    """
    from mue.core.changelog import change_context

    load_kinds()
    if not _claim(job_id):
        return Job.objects.get(pk=job_id)
    job = Job.objects.select_related("workspace", "created_by").get(pk=job_id)
    kind = KINDS.get(job.kind)
    beat = _Heartbeat(job_id) if heartbeat else None
    if beat is not None:
        beat.start()
    status, result, error = JobStatus.FAILED, {}, ""
    try:
        if kind is None:
            raise JobError(_("This kind of job (%(kind)s) is not known to this installation.") % {"kind": job.kind})
        user = job.created_by
        context = change_context(actor_name=user.get_username() if user else "job", source="job",
                                 actor_id=user.pk if user else None, message=f"job {job.pk} {job.kind}")
        with translation.override(job.language or settings.LANGUAGE_CODE), context:
            result = kind.run(JobContext(job), **job.params) or {}
        status = JobStatus.SUCCEEDED
    except JobError as exc:
        error = str(exc)
    except Exception as exc:  # the job fails, the process does not: the row must say what happened
        log.exception("job %s (%s) failed", job_id, job.kind)
        error = _("Unexpected error: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"}
        traceback.print_exc()
    finally:
        if beat is not None:
            beat.stopped.set()
    Job.objects.filter(pk=job_id).update(status=status, result=result, error=error, finished=timezone.now(),
                                         heartbeat=timezone.now(), message=job.message,
                                         done=job.total if status == JobStatus.SUCCEEDED and job.total else job.done,
                                         total=job.total)
    return Job.objects.select_related("workspace", "created_by").get(pk=job_id)


# -- detecting dead jobs ------------------------------------------------------------------------------

DIED = gettext_noop("The process running this job stopped before it finished (it was killed, ran out of memory "
                    "or the server restarted). Start it again.")
NEVER_STARTED = gettext_noop("This job never started: its process could not be launched. Start it again.")


def process_alive(pid: int, job_id: int) -> bool | None:
    """Whether the process running job ``job_id`` is alive on this host; None when that cannot be told.

    On Linux its command line is checked too, so that a new process that got the same id (after a
    reboot) is not taken for the job; a zombie (exited, not yet reaped) counts as dead.
    """
    proc = Path(f"/proc/{pid}")
    if Path("/proc/self").exists():
        try:
            stat = (proc / "stat").read_text()
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            return False
        if stat.rsplit(")", 1)[-1].split()[0] == "Z":
            return False
        return f"job\0run\0{job_id}".encode() in cmdline or f"\0{job_id}\0".encode() in cmdline
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return None
    return True


def is_dead(job: Job, now: dt.datetime | None = None) -> str | None:
    """Why an unfinished job will never finish (the message to store), or None when it may still."""
    now = now or timezone.now()
    if job.status == JobStatus.QUEUED:
        if runner_mode() == "subprocess" and now - job.created > NEVER_STARTED_AFTER:
            return NEVER_STARTED
        return None
    if job.status != JobStatus.RUNNING:
        return None
    if job.pid and job.host == socket.gethostname():
        if process_alive(job.pid, job.pk) is False:
            return DIED
    if job.heartbeat is None or now - job.heartbeat > STALE_AFTER:
        return DIED
    return None


def refresh(job: Job) -> Job:
    """The job, marked failed first if its process is gone (see :func:`is_dead`)."""
    reason = is_dead(job)
    if reason is None:
        return job
    now = timezone.now()
    updated = Job.objects.filter(pk=job.pk, status=job.status).update(status=JobStatus.FAILED, error=reason,
                                                                      finished=now)
    if updated:
        job.status, job.error, job.finished = JobStatus.FAILED, reason, now
    else:
        job.refresh_from_db()
    return job


def reap(queryset=None) -> int:
    """Mark failed every unfinished job (of ``queryset``) whose process is gone; how many were."""
    count = 0
    for job in (queryset if queryset is not None else Job.objects.all()).filter(
            status__in=[JobStatus.QUEUED, JobStatus.RUNNING]):
        if refresh(job).status == JobStatus.FAILED:
            count += 1
    return count


def running(workspace, kind: str) -> Job | None:
    """The workspace's unfinished job of this kind (after reaping dead ones), if any."""
    for job in Job.objects.filter(workspace=workspace, kind=kind,
                                  status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).order_by("-created"):
        if not refresh(job).is_finished:
            return job
    return None
