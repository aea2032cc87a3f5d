"""What an audit keeps: runs (snapshots), their findings, waivers and questionnaire answers.

Rules themselves are code (:mod:`mue.audit.rules`), not rows: a run stores the rule results it
computed (scope, failures, compliance) in JSON so an old run still reads the same after rules change.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mue.audit.choices import Answer, Domain, FindingStatus, Severity
from mue.core.models import ScopedQuerySet, WorkspaceScoped


class SnapshotManager(models.Manager.from_queryset(ScopedQuerySet)):
    """The runs kept as snapshots: every reader of runs sees these, never a workspace's live state."""

    def get_queryset(self) -> ScopedQuerySet:
        return super().get_queryset().filter(live=False)


class AuditRun(WorkspaceScoped):
    """One audit of a workspace, kept as a snapshot so later runs can be compared with it.

    A workspace also has at most one *live* run (``live=True``, see :mod:`mue.audit.live`): the latest
    audit kept up to date by re-audits after each change, which object pages show. ``AuditRun.objects``
    never returns it; ``AuditRun.with_live`` does.
    """

    as_of = models.DateField(_("as of"), help_text=_("The date the date-based rules were evaluated at."))
    started = models.DateTimeField(_("started"))
    finished = models.DateTimeField(_("finished"))
    actor_name = models.CharField(_("run by"), max_length=150, blank=True)
    score = models.FloatField(_("maturity score"), null=True, blank=True,
                              help_text=_("Overall maturity, 1 to 5; empty when nothing could be evaluated."))
    domain_scores = models.JSONField(_("scores per domain"), default=dict, blank=True)
    rule_results = models.JSONField(_("rule results"), default=list, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True,
                               help_text=_("Counts of findings per severity and status."))
    live = models.BooleanField(_("live"), default=False,
                               help_text=_("The workspace's current findings, re-evaluated after each change."))
    changes_through = models.BigIntegerField(_("changes evaluated up to"), null=True, blank=True,
                                             help_text=_("The last change-log entry the live findings account for."))

    objects = SnapshotManager()
    with_live = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-started", "-id"]
        indexes = [models.Index(fields=["workspace", "-started"], name="audit_run_ws_started")]
        constraints = [models.UniqueConstraint(fields=["workspace"], condition=models.Q(live=True),
                                               name="audit_one_live_run")]
        verbose_name = _("audit run")
        verbose_name_plural = _("audit runs")

    def __str__(self) -> str:
        return f"#{self.pk} {self.workspace.slug} {self.as_of}"


class Finding(models.Model):
    """An object that fails a rule in a run (or a questionnaire item answered "no" or "partly")."""

    workspace_path = "run__workspace"  # the permission gate reaches the workspace through the run

    run = models.ForeignKey(AuditRun, on_delete=models.CASCADE, related_name="findings", verbose_name=_("audit run"))
    rule_id = models.CharField(_("rule"), max_length=20)
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    object_type = models.CharField(_("object type"), max_length=50,
                                   help_text=_("Registry singular name (service, application...) or workspace."))
    object_id = models.BigIntegerField(_("object id"))
    object_slug = models.CharField(_("slug"), max_length=100)
    object_name = models.CharField(_("name"), max_length=200)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True,
                                help_text=_("The facts that made the rule fire."))
    status = models.CharField(_("status"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    waiver = models.ForeignKey("Waiver", on_delete=models.SET_NULL, null=True, blank=True, related_name="findings",
                               verbose_name=_("waiver"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["run", "rule_id", "object_slug"]
        indexes = [models.Index(fields=["run", "rule_id"], name="audit_finding_run_rule")]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return f"{self.rule_id} {self.object_type}:{self.object_slug}"


class Waiver(WorkspaceScoped):
    """An accepted risk: this rule may fail on this object until the expiry date, for this reason."""

    rule_id = models.CharField(_("rule"), max_length=20)
    object_type = models.CharField(_("object type"), max_length=50)
    object_slug = models.CharField(_("slug"), max_length=100)
    justification = models.TextField(_("justification"))
    approver = models.CharField(_("approved by"), max_length=150)
    expires = models.DateField(_("expires"), help_text=_("After this date the finding opens again."))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.CharField(_("recorded by"), max_length=150, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True,
                                   help_text=_("When the risk stopped being accepted; the waiver is kept as a record."))
    revoked_by = models.CharField(_("revoked by"), max_length=150, blank=True)

    class Meta:
        ordering = ["workspace", "rule_id", "object_slug", "-expires"]
        indexes = [models.Index(fields=["workspace", "rule_id"], name="audit_waiver_ws_rule")]
        verbose_name = _("waiver")
        verbose_name_plural = _("waivers")

    def __str__(self) -> str:
        return f"{self.rule_id} {self.object_type}:{self.object_slug} → {self.expires}"

    def in_force(self, on) -> bool:
        """Whether the risk is still accepted on the day ``on`` (not revoked, not expired)."""
        return self.revoked is None and self.expires >= on


class QuestionnaireAnswer(WorkspaceScoped):
    """A person's answer to a questionnaire item, where no data of the register can tell."""

    question_id = models.CharField(_("question"), max_length=20)
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    answered_by = models.CharField(_("answered by"), max_length=150)
    answered_on = models.DateField(_("answered on"))
    note = models.TextField(_("note"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["workspace", "question_id", "-answered_on", "-id"]
        indexes = [models.Index(fields=["workspace", "question_id"], name="audit_answer_ws_question")]
        verbose_name = _("questionnaire answer")
        verbose_name_plural = _("questionnaire answers")

    def __str__(self) -> str:
        return f"{self.question_id}: {self.answer}"
