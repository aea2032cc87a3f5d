"""A report's life: a draft for a run, submitted for review, reviewed by a second auditor, published.

* **draft**: created for an audit run (the workspace's latest by default); its action plan is
  computed from the run and stays editable (:mod:`mue.reports.actions`).
* **in review**: the author submits it; a reviewer — a second member with the auditor role, never
  the author — comments per section and either requests changes (the report goes back to draft)
  or approves it.
* **published**: once approved, the author (or the reviewer) publishes it. The DOCX, HTML and PDF
  files are generated then, stored byte for byte (:class:`~mue.reports.models.ReportFile`) and
  served as they were from then on; the report gets the workspace's next version number (v1, v2…)
  and never changes again. A new edition is a new draft.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from mue.audit.models import AuditRun
from mue.core.models import Workspace
from mue.reports.actions import refresh_actions
from mue.reports.choices import ReportFormat, ReportStatus, ReviewVerdict
from mue.reports.models import Report, ReportFile, ReviewComment


class ReportError(ValueError):
    """A step of the report's life that cannot be taken now (the message says why)."""


def latest_run(workspace: Workspace, run_id: int | None = None) -> AuditRun:
    runs = AuditRun.objects.filter(workspace=workspace).select_related("workspace")
    run = runs.filter(pk=run_id).first() if run_id is not None else runs.order_by("-started", "-id").first()
    if run is None:
        if run_id is not None:
            raise ReportError(_("run %(run)s of workspace '%(workspace)s' does not exist")
                              % {"run": run_id, "workspace": workspace.slug})
        raise ReportError(_("workspace '%(workspace)s' has no audit run yet: run `mue audit %(workspace)s` first")
                          % {"workspace": workspace.slug})
    return run


def current_draft(workspace: Workspace, run_id: int | None = None, *, author_name: str = "", author=None,
                  create: bool = True) -> Report | None:
    """The edition being prepared for the run (draft or in review), created as a draft when there is none."""
    run = latest_run(workspace, run_id)
    report = (Report.objects.filter(workspace=workspace, run=run).exclude(status=ReportStatus.PUBLISHED)
              .select_related("workspace", "run").order_by("-created", "-id").first())
    if report is None and create:
        with transaction.atomic():
            report = Report.objects.create(workspace=workspace, run=run, language=workspace.language or "fr",
                                           author=author, author_name=author_name, advisor=author_name)
            refresh_actions(report)
    return report


def published(workspace: Workspace, version: int | None = None) -> Report:
    """A published edition (the newest when ``version`` is None)."""
    reports = Report.objects.filter(workspace=workspace, status=ReportStatus.PUBLISHED).select_related("workspace")
    report = reports.filter(version=version).first() if version else reports.order_by("-version").first()
    if report is None:
        raise ReportError(_("workspace '%(workspace)s' has no published report%(which)s")
                          % {"workspace": workspace.slug, "which": f" v{version}" if version else ""})
    return report


def render(report: Report, fmt: str, template: Path | None = None) -> bytes:
    """The report as ``fmt`` bytes: the stored file of a published report, else generated now."""
    if fmt not in ReportFormat.values:
        raise ReportError(_("unknown format '%(format)s' (docx, html or pdf)") % {"format": fmt})
    if report.frozen:
        stored = ReportFile.objects.filter(report=report, format=fmt).first()
        if stored is None:
            raise ReportError(_("report v%(version)s was published without a %(format)s file")
                              % {"version": report.version, "format": fmt.upper()})
        return bytes(stored.content)
    return generate(report, fmt, template)


def generate(report: Report, fmt: str, template: Path | None = None) -> bytes:
    from mue.reports.content import build_content

    content = build_content(report)
    if fmt == "docx":
        from mue.reports.word import render_docx

        return render_docx(content, template)
    from mue.reports.html import render_html, render_pdf

    return render_html(content) if fmt == "html" else render_pdf(content)


def _same_person(report: Report, user, name: str) -> bool:
    if user is not None and report.author_id is not None:
        return user.pk == report.author_id
    return bool(name) and name.strip().casefold() == report.author_name.strip().casefold()


def submit(report: Report) -> Report:
    if report.status != ReportStatus.DRAFT:
        raise ReportError(_("only a draft can be submitted for review (this report is %(status)s)")
                          % {"status": report.get_status_display()})
    refresh_actions(report)
    report.status = ReportStatus.REVIEW
    report.save(update_fields=["status", "updated"])
    return report


def review(report: Report, *, verdict: str, body: str = "", section: str = "", user=None,
           name: str = "") -> ReviewComment:
    """A reviewer's comment on a section, a request for changes or the approval."""
    if report.frozen:
        raise ReportError(_("a published report is not reviewed any more"))
    if verdict not in ReviewVerdict.values:
        raise ReportError(_("unknown verdict '%(verdict)s'") % {"verdict": verdict})
    deciding = verdict != ReviewVerdict.COMMENT
    if deciding and report.status != ReportStatus.REVIEW:
        raise ReportError(_("the report must be submitted for review first"))
    if deciding and _same_person(report, user, name):
        raise ReportError(_("the author cannot review their own report: a second auditor does"))
    if verdict == ReviewVerdict.CHANGES and not body.strip():
        raise ReportError(_("say which changes are requested"))
    with transaction.atomic():
        comment = ReviewComment.objects.create(report=report, section=section, verdict=verdict, body=body,
                                               author=user, author_name=name or (user.get_username() if user else ""))
        if verdict == ReviewVerdict.CHANGES:
            report.status = ReportStatus.DRAFT
        if deciding:
            report.reviewer, report.reviewer_name = user, comment.author_name
            report.save(update_fields=["status", "reviewer", "reviewer_name", "updated"])
    return comment


def approved(report: Report) -> bool:
    """True when the last verdict given in the current review is an approval."""
    last = (ReviewComment.objects.filter(report=report).exclude(verdict=ReviewVerdict.COMMENT)
            .order_by("-created", "-id").first())
    return report.status == ReportStatus.REVIEW and last is not None and last.verdict == ReviewVerdict.APPROVED


def publish(report: Report, formats: tuple[str, ...] = ("docx", "html", "pdf")) -> Report:
    """Freeze an approved report: its next version number, its files stored as they are now."""
    if report.frozen:
        raise ReportError(_("report v%(version)s is already published") % {"version": report.version})
    if not approved(report):
        raise ReportError(_("a report is published once a second auditor has approved it"))
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        version = (Report.objects.filter(workspace_id=locked.workspace_id).aggregate(v=Max("version"))["v"] or 0) + 1
        locked.version, locked.published = version, timezone.now()
        files = []
        for fmt in formats:
            data = generate(locked, fmt)
            files.append(ReportFile(report=locked, format=fmt, content=data, size=len(data),
                                    sha256=hashlib.sha256(data).hexdigest()))
        ReportFile.objects.bulk_create(files)
        locked.status = ReportStatus.PUBLISHED
        locked.save(update_fields=["version", "published", "status", "updated"])
    return locked
