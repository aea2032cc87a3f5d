"""Enumerations of the deliverables: report status, licences, formats, effort, interests, review."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")


class ReportFormat(models.TextChoices):
    DOCX = "docx", _("DOCX")
    HTML = "html", _("HTML")
    PDF = "pdf", _("PDF")


CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


class Licence(models.TextChoices):
    CC_BY = "cc-by-4.0", _("CC BY 4.0")
    CC_BY_SA = "cc-by-sa-4.0", _("CC BY-SA 4.0")
    CC_BY_NC_SA = "cc-by-nc-sa-4.0", _("CC BY-NC-SA 4.0")
    NONE = "none", _("No licence (all rights reserved)")


@dataclass(frozen=True)
class LicenceText:
    """What the report says of its licence: the full name, what it allows, the legal code."""

    name: str
    summary: str
    url: str


def licence_text(licence: str, language: str) -> LicenceText | None:
    """The licence's name, plain-language summary and legal code link (in French where it exists)."""
    from django.utils.translation import gettext as _

    if licence == Licence.NONE:
        return None
    path = {"cc-by-4.0": "by", "cc-by-sa-4.0": "by-sa", "cc-by-nc-sa-4.0": "by-nc-sa"}[licence]
    suffix = ".fr" if language == "fr" else ""
    url = f"https://creativecommons.org/licenses/{path}/4.0/legalcode{suffix}"
    names = {
        "by": _("Creative Commons Attribution 4.0 International"),
        "by-sa": _("Creative Commons Attribution-ShareAlike 4.0 International"),
        "by-nc-sa": _("Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International"),
    }
    summaries = {
        "by": _("You may copy, share and adapt this document, for any purpose, provided you credit its authors, "
                "link to the licence and say what you changed."),
        "by-sa": _("You may copy, share and adapt this document, for any purpose, provided you credit its authors, "
                   "link to the licence, say what you changed and share your adaptations under the same licence."),
        "by-nc-sa": _("You may copy, share and adapt this document for non-commercial purposes, provided you credit "
                      "its authors, link to the licence, say what you changed and share your adaptations under the "
                      "same licence."),
    }
    return LicenceText(str(names[path]), str(summaries[path]), url)


class Effort(models.TextChoices):
    """How much work an action takes: the divisor of its priority (a quick win goes first)."""

    SMALL = "small", _("Small (days)")
    MEDIUM = "medium", _("Medium (weeks)")
    LARGE = "large", _("Large (months)")


#: Priority = severity weight × criticality factor ÷ effort cost (docs/reports.md).
EFFORT_COST = {"small": 1, "medium": 2, "large": 4}


class InterestNature(models.TextChoices):
    COMMISSION = "commission", _("Commission")
    PARTNERSHIP = "partnership", _("Partnership")
    RESELLER = "reseller", _("Reseller")
    FORMER_EMPLOYER = "former-employer", _("Former employer")
    OTHER = "other", pgettext_lazy("interest nature", "Other")


class ReviewVerdict(models.TextChoices):
    COMMENT = "comment", _("Comment")
    CHANGES = "changes", _("Changes requested")
    APPROVED = "approved", _("Approved")


class Section(models.TextChoices):
    """The sections of a report, the units a reviewer comments on."""

    COVER = "cover", _("Cover")
    SUMMARY = "summary", _("Executive summary")
    MATURITY = "maturity", _("Maturity by domain")
    FINDINGS = "findings", _("Findings")
    ACTIONS = "actions", _("Action plan")
    DEPENDENCIES = "dependencies", _("Critical services and their dependencies")
    INTERESTS = "interests", _("Declared interests and requests for information")
    WAIVERS = "waivers", _("Accepted risks")
    ANNEXES = "annexes", _("Inventory annexes")
    LICENCE = "licence", _("Licence")
