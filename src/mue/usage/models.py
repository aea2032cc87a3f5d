"""Observed use of the register's applications (written by discovery, read by audits and costs)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mue.core.models import WorkspaceScoped


class UsageObservation(WorkspaceScoped):
    """Active users of an application in one month, as observed from a source (proxy, DNS, SSO logs...)."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE,
                                    related_name="usage_observations", verbose_name=_("application"))
    month = models.DateField(_("month"), help_text=_("First day of the month observed."))
    active_users = models.PositiveIntegerField(_("active users"))
    requests = models.PositiveBigIntegerField(_("requests"), default=0)
    bytes = models.PositiveBigIntegerField(_("bytes"), default=0)
    first_seen = models.DateTimeField(_("first seen"), null=True, blank=True)
    last_seen = models.DateTimeField(_("last seen"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=50,
                              help_text=_("What observed it: squid, zeek, dns, sso, csv..."))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-month", "application"]
        constraints = [
            models.UniqueConstraint(fields=["application", "month", "source"], name="usage_observation_unique"),
        ]
        verbose_name = _("usage observation")
        verbose_name_plural = _("usage observations")

    def __str__(self) -> str:
        return f"{self.application} {self.month:%Y-%m}: {self.active_users}"
