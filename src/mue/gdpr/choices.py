"""Enumerations of the GDPR record: the articles' own lists, in their order."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityStatus(models.TextChoices):
    """Drafts come from ``mue gdpr suggest``; only active activities make the record."""

    DRAFT = "draft", _("Draft (to accept, edit or reject)")
    ACTIVE = "active", _("In the record")
    REJECTED = "rejected", _("Rejected")
    ENDED = "ended", _("Ended")


class LegalBasis(models.TextChoices):
    """GDPR art. 6(1), (a) to (f)."""

    CONSENT = "consent", _("Consent (art. 6.1.a)")
    CONTRACT = "contract", _("Contract (art. 6.1.b)")
    LEGAL_OBLIGATION = "legal-obligation", _("Legal obligation (art. 6.1.c)")
    VITAL_INTERESTS = "vital-interests", _("Vital interests (art. 6.1.d)")
    PUBLIC_TASK = "public-task", _("Public interest or official authority (art. 6.1.e)")
    LEGITIMATE_INTERESTS = "legitimate-interests", _("Legitimate interests (art. 6.1.f)")


class SensitiveCondition(models.TextChoices):
    """GDPR art. 9(2), (a) to (j), and art. 10 for criminal data."""

    EXPLICIT_CONSENT = "explicit-consent", _("Explicit consent (art. 9.2.a)")
    EMPLOYMENT = "employment", _("Employment and social protection law (art. 9.2.b)")
    VITAL_INTERESTS = "vital-interests", _("Vital interests, consent impossible (art. 9.2.c)")
    NOT_FOR_PROFIT = "not-for-profit", _("Foundation, association or union, its members (art. 9.2.d)")
    MADE_PUBLIC = "made-public", _("Made public by the data subject (art. 9.2.e)")
    LEGAL_CLAIMS = "legal-claims", _("Legal claims or courts (art. 9.2.f)")
    SUBSTANTIAL_PUBLIC_INTEREST = "public-interest", _("Substantial public interest, in law (art. 9.2.g)")
    HEALTH_CARE = "health-care", _("Preventive or occupational medicine, health or social care (art. 9.2.h)")
    PUBLIC_HEALTH = "public-health", _("Public health (art. 9.2.i)")
    ARCHIVING_RESEARCH = "archiving-research", _("Archiving, research or statistics (art. 9.2.j)")
    OFFICIAL_AUTHORITY = "official-authority", _("Criminal data under official authority (art. 10)")


class Role(models.TextChoices):
    CONTROLLER = "controller", _("Controller")
    JOINT_CONTROLLER = "joint-controller", _("Joint controller")
    PROCESSOR = "processor", _("Processor (on behalf of controllers)")


class Safeguard(models.TextChoices):
    """What allows a transfer outside the EU/EEA (GDPR chapter V)."""

    ADEQUACY = "adequacy", _("Adequacy decision (art. 45)")
    SCC = "scc", _("Standard contractual clauses (art. 46.2.c)")
    BCR = "bcr", _("Binding corporate rules (art. 47)")
    DEROGATION = "derogation", _("Derogation for a specific situation (art. 49)")


class DpiaStatus(models.TextChoices):
    NOT_NEEDED = "not-needed", _("Not needed")
    TO_DO = "to-do", _("To do")
    IN_PROGRESS = "in-progress", _("In progress")
    DONE = "done", _("Done")


#: The security measures of the CNIL's model record ("mesures de sécurité"), map key -> model field.
SECURITY_MEASURES = {
    "access_control": "security_access_control",
    "traceability": "security_traceability",
    "software_protection": "security_software_protection",
    "backup": "security_backup",
    "encryption": "security_encryption",
    "processor_control": "security_processor_control",
    "awareness": "security_awareness",
}

#: The nine criteria of the EDPB guidelines on DPIA (WP248 rev.01), map key -> model field.
WP248_CRITERIA = {
    "evaluation": "wp248_evaluation",
    "automated_decision": "wp248_automated_decision",
    "monitoring": "wp248_monitoring",
    "sensitive": "wp248_sensitive",
    "large_scale": "wp248_large_scale",
    "matching": "wp248_matching",
    "vulnerable": "wp248_vulnerable",
    "innovative": "wp248_innovative",
    "prevents_right": "wp248_prevents_right",
}
#: Two criteria or more: a DPIA is likely required (WP248, III.B.a).
WP248_THRESHOLD = 2
