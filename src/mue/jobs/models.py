"""A job: long work (an audit, a discovery run, later imports and reports) whose state is in the database.

The row is the only link between the page that asked for the work and the process doing it: the page
polls it, the process writes its progress and result into it, and either may go away meanwhile.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mue.core.models import WorkspaceScoped


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


FINISHED = (JobStatus.SUCCEEDED, JobStatus.FAILED)


class Job(WorkspaceScoped):
    kind = models.CharField(_("kind"), max_length=50)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    done = models.PositiveBigIntegerField(_("done"), default=0)
    total = models.PositiveBigIntegerField(_("total"), null=True, blank=True,
                                           help_text=_("Empty while the amount of work is not known."))
    message = models.CharField(_("message"), max_length=300, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("started by"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True,
                                help_text=_("The language of the page that started it, which its messages use."))
    pid = models.PositiveIntegerField(_("process id"), null=True, blank=True)
    host = models.CharField(_("host"), max_length=255, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["workspace", "kind", "-created"], name="jobs_job_ws_kind_created"),
                   models.Index(fields=["status"], name="jobs_job_status")]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.status}"

    @property
    def finished_ok(self) -> bool:
        return self.status == JobStatus.SUCCEEDED

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))
