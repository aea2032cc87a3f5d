"""What the deliverables keep: reports (draft → in review → published), their files, the action plan,
review comments, the advisor's declared interests and the requests for information sent to vendors.

A report is an edition of the audit report of one run. While it is a draft its action plan can be
edited (owner, target date, effort, order); once published it is frozen: the files generated at
publication are stored here (:class:`ReportFile`) and served as they were, whatever the register
becomes afterwards.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mue.core.models import ScopedQuerySet, WorkspaceScoped
from mue.reports.choices import Effort, InterestNature, Licence, ReportFormat, ReportStatus, ReviewVerdict, Section


class Report(WorkspaceScoped):
    """One edition of the audit report of a run: its settings, its state in the review, its version."""

    run = models.ForeignKey("audit.AuditRun", on_delete=models.PROTECT, related_name="+", verbose_name=_("audit run"))
    title = models.CharField(_("title"), max_length=200, blank=True,
                             help_text=_("Empty: « Audit of the digital landscape of <organization> »."))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="fr")
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices, default=Licence.CC_BY_SA)
    advisor = models.CharField(_("advisor"), max_length=200, blank=True,
                               help_text=_("Who carried out the audit, as printed on the cover."))
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    version = models.PositiveIntegerField(_("version"), null=True, blank=True,
                                          help_text=_("v1, v2… given at publication."))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("author"))
    author_name = models.CharField(_("author"), max_length=150, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("reviewer"))
    reviewer_name = models.CharField(_("reviewer"), max_length=150, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    published = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["workspace", "-created", "-id"]
        constraints = [models.UniqueConstraint(fields=["workspace", "version"], name="reports_report_version")]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"v{self.version}" if self.version else f"#{self.pk} ({self.get_status_display()})"

    @property
    def frozen(self) -> bool:
        return self.status == ReportStatus.PUBLISHED


class ReportFile(models.Model):
    """A published report's file, kept byte for byte (stored in the database: it travels in backups,
    in the handover archive, and on both database engines alike)."""

    workspace_path = "report__workspace"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="files", verbose_name=_("report"))
    format = models.CharField(_("format"), max_length=5, choices=ReportFormat.choices)
    content = models.BinaryField(_("content"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["report", "format"]
        constraints = [models.UniqueConstraint(fields=["report", "format"], name="reports_file_format")]
        verbose_name = _("report file")
        verbose_name_plural = _("report files")

    def __str__(self) -> str:
        return f"{self.report} {self.format}"


class Action(models.Model):
    """One line of a report's action plan: fix what a rule found, on the objects it found it on.

    The computed part (rule, severity, criticality, objects) comes from the run; the editable part
    (effort, owner, target date, note, and a manual position) is the advisor's, until publication.
    """

    workspace_path = "report__workspace"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="actions", verbose_name=_("report"))
    rule_id = models.CharField(_("rule"), max_length=20)
    domain = models.CharField(_("domain"), max_length=20)
    severity = models.CharField(_("severity"), max_length=10)
    criticality = models.PositiveSmallIntegerField(_("criticality of what is affected"), default=0)
    targets = models.JSONField(_("objects concerned"), default=list, blank=True,
                               help_text=_("The objects concerned, as TYPE:SLUG."))
    effort = models.CharField(_("effort"), max_length=10, choices=Effort.choices, default=Effort.MEDIUM)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0,
                                           help_text=_("Order in the plan (1 first); 0 keeps the computed order."))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["report", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "rule_id"], name="reports_action_rule")]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return f"{self.rule_id} ({len(self.targets)})"


class ReviewComment(models.Model):
    """What the reviewer (or the author) says of one section of a report, and the verdicts."""

    workspace_path = "report__workspace"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="review", verbose_name=_("report"))
    section = models.CharField(_("section"), max_length=20, choices=Section.choices, blank=True)
    verdict = models.CharField(_("verdict"), max_length=10, choices=ReviewVerdict.choices,
                               default=ReviewVerdict.COMMENT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("author"))
    author_name = models.CharField(_("author"), max_length=150)
    body = models.TextField(_("comment"), max_length=10_000, blank=True)
    created = models.DateTimeField(_("written"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["report", "created", "id"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")

    def __str__(self) -> str:
        return f"{self.author_name}: {self.verdict} {self.section}"


class Interest(WorkspaceScoped):
    """An interest the advisor declares in a vendor (the charter's transparency)."""

    advisor = models.CharField(_("advisor"), max_length=200)
    party = models.ForeignKey("vendors.ExternalParty", on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("vendor"))
    nature = models.CharField(_("nature"), max_length=20, choices=InterestNature.choices)
    amount = models.DecimalField(_("amount (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True)
    percentage = models.DecimalField(_("percentage"), max_digits=5, decimal_places=2, null=True, blank=True)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty: still in force."))
    note = models.TextField(_("details"), blank=True)
    created = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        ordering = ["workspace", "advisor", "party", "start", "id"]
        verbose_name = _("declared interest")
        verbose_name_plural = _("declared interests")

    def __str__(self) -> str:
        return f"{self.advisor} — {self.party} ({self.nature})"

    def in_force(self, on) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or self.end >= on)


class InformationRequest(WorkspaceScoped):
    """A request for information (RFI) sent to vendors, with its recipients and their answers."""

    subject = models.CharField(_("subject"), max_length=200)
    question = models.TextField(_("question"), blank=True)
    sent_on = models.DateField(_("sent on"))

    class Meta:
        ordering = ["workspace", "-sent_on", "id"]
        verbose_name = _("request for information")
        verbose_name_plural = _("requests for information")

    def __str__(self) -> str:
        return self.subject


class RequestRecipient(models.Model):
    """One vendor a request went to, and its answer when it came."""

    workspace_path = "request__workspace"

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="answers",
                                verbose_name=_("request"))
    party = models.ForeignKey("vendors.ExternalParty", on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("vendor"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["request", "party"]
        constraints = [models.UniqueConstraint(fields=["request", "party"], name="reports_recipient_unique")]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")

    def __str__(self) -> str:
        return f"{self.request} → {self.party}"
