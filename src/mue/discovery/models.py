"""What discovery keeps: per-workspace settings and catalogue extensions, runs, and pseudonymised aggregates.

Raw log lines are never stored: a run keeps counts, per-service aggregates and per (service, user, day) totals
whose user is a keyed pseudonym unless the workspace's DPO allowed names.
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from mue.core.models import ScopedQuerySet, Workspace, WorkspaceScoped


def new_key() -> str:
    return secrets.token_hex(32)


class DiscoverySettings(models.Model):
    """One workspace's discovery settings: pseudonymisation key, DPO choice, risk weights."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("workspace"))
    key = models.CharField(_("pseudonymisation key"), max_length=64, default=new_key,
                           help_text=_("Secret of the keyed hash that replaces user identifiers. Changing it breaks "
                                       "the continuity of past observations."))
    allow_names = models.BooleanField(_("keep user names"), default=False,
                                      help_text=_("Set by the data protection officer: keep user identifiers as they "
                                                  "are in the logs instead of pseudonyms."))
    risk_weights = models.JSONField(_("risk weights"), default=dict, blank=True,
                                    help_text=_("Weights of the general, security, compliance and legal sub-scores."))
    internal_domains = models.JSONField(_("internal domains"), default=list, blank=True,
                                        help_text=_("The organization's own domain suffixes (intranet, Active "
                                                    "Directory): discovery ignores the hosts under them."))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("discovery settings")
        verbose_name_plural = _("discovery settings")

    def __str__(self) -> str:
        return str(self.workspace)


class CatalogueEntry(WorkspaceScoped):
    """A workspace's own catalogue entry: adds a service or replaces a shipped one with the same id."""

    service_id = models.CharField(_("service id"), max_length=100)
    name = models.CharField(_("name"), max_length=200)
    vendor = models.CharField(_("vendor"), max_length=200)
    vendor_country = models.CharField(_("vendor country"), max_length=2)
    category = models.CharField(_("category"), max_length=40)
    data_location = models.JSONField(_("data locations"), default=list, blank=True)
    domains = models.JSONField(_("domains"), default=list,
                               help_text=_("Domain suffixes; a leading '=' matches that exact host only."))
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)

    class Meta:
        ordering = ["service_id"]
        constraints = [models.UniqueConstraint(fields=["workspace", "service_id"], name="discovery_entry_unique")]
        verbose_name = _("catalogue entry")
        verbose_name_plural = _("catalogue entries")

    def __str__(self) -> str:
        return self.name


class RiskOverride(WorkspaceScoped):
    """A workspace's own risk score for one service, with the reason."""

    service_id = models.CharField(_("service id"), max_length=100)
    score = models.DecimalField(_("risk score"), max_digits=4, decimal_places=1,
                                help_text=_("0 (no known risk) to 10 (highest risk)."))
    note = models.TextField(_("note"), help_text=_("Why the computed score does not apply."))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "service_id"], name="discovery_override_unique")]
        verbose_name = _("risk override")
        verbose_name_plural = _("risk overrides")

    def __str__(self) -> str:
        return f"{self.service_id}: {self.score}"


class ApplicationMapping(WorkspaceScoped):
    """An explicit link from a catalogue service to a register application (beats the automatic matching)."""

    service_id = models.CharField(_("service id"), max_length=100)
    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE,
                                    related_name="catalogue_mappings", verbose_name=_("application"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "service_id"], name="discovery_mapping_unique")]
        verbose_name = _("application mapping")
        verbose_name_plural = _("application mappings")

    def __str__(self) -> str:
        return f"{self.service_id} -> {self.application_id}"


class DiscoveryRun(WorkspaceScoped):
    """One ``mue discover`` run: what was read and its report."""

    started = models.DateTimeField(_("started"))
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    files = models.JSONField(_("files"), default=list, help_text=_("Name, format, size and fingerprint of each file."))
    bytes_read = models.PositiveBigIntegerField(_("bytes read"), default=0)
    lines = models.PositiveBigIntegerField(_("lines"), default=0)
    malformed = models.PositiveBigIntegerField(_("malformed lines"), default=0)
    report = models.JSONField(_("report"), default=dict)

    class Meta:
        ordering = ["-started"]
        verbose_name = _("discovery run")
        verbose_name_plural = _("discovery runs")

    def __str__(self) -> str:
        return f"{self.workspace} {self.started:%Y-%m-%d %H:%M}"


class DiscoveredService(models.Model):
    """A catalogue service seen in one run, with its totals."""

    workspace_path = "run__workspace"  # the permission gate reaches the workspace through the run

    run = models.ForeignKey(DiscoveryRun, on_delete=models.CASCADE, related_name="services", verbose_name=_("run"))
    service_id = models.CharField(_("service id"), max_length=100)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, default="application",
                            help_text=_("application (a service people use), or what browsers and systems fetch on "
                                        "their own: advertising, CDN, certificate checks, updates, embedded "
                                        "resources, vendor accounts and websites."))
    application = models.ForeignKey("applications.Application", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("register application"))
    users = models.PositiveIntegerField(_("users"))
    requests = models.PositiveBigIntegerField(_("requests"))
    bytes = models.PositiveBigIntegerField(_("bytes"))
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    units = models.JSONField(_("units"), default=dict, blank=True, help_text=_("Unit slug -> users."))
    risk_score = models.DecimalField(_("risk score"), max_digits=4, decimal_places=1, null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-users", "service_id"]
        constraints = [models.UniqueConstraint(fields=["run", "service_id"], name="discovery_service_unique")]
        verbose_name = _("discovered service")
        verbose_name_plural = _("discovered services")

    def __str__(self) -> str:
        return self.name

    @property
    def is_application(self) -> bool:
        return self.kind == "application"

    @property
    def is_shadow(self) -> bool:
        """An application in use that the register lacks (never an ad network, a CDN or an update server)."""
        return self.application_id is None and self.is_application


class ServiceUserDay(WorkspaceScoped):
    """Requests and bytes of one (pseudonymised) user to one service on one day, summed over every run."""

    # Without an index of its own: the unique constraint starts with the workspace and serves every lookup by it
    # (deleting one too); one b-tree less to keep up for each of the hundred thousand rows a run may write.
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+", verbose_name=_("workspace"),
                                  db_index=False)
    source = models.CharField(_("source"), max_length=50)
    service_id = models.CharField(_("service id"), max_length=100)
    user = models.CharField(_("user"), max_length=200)
    day = models.DateField(_("day"))
    requests = models.PositiveBigIntegerField(_("requests"))
    bytes = models.PositiveBigIntegerField(_("bytes"))
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "source", "service_id", "user", "day"],
                                               name="discovery_user_day_unique")]
        indexes = [models.Index(fields=["workspace", "service_id", "day"], name="discovery_user_day_service")]
        verbose_name = _("service use per user and day")
        verbose_name_plural = _("service use per user and day")

    def __str__(self) -> str:
        return f"{self.service_id} {self.user} {self.day}"
