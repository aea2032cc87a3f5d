"""Enumerations of the audit: severities, domains, finding statuses, questionnaire answers."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    INFO = "info", _("Info")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")

    @property
    def rank(self) -> int:
        """0 (info) to 4 (critical): compare severities, e.g. for ``--fail-on``."""
        return SEVERITY_ORDER.index(self.value)

    @property
    def weight(self) -> int:
        """The weight of a rule of this severity in the maturity score (docs/audit.md)."""
        return SEVERITY_WEIGHTS[self.value]


SEVERITY_ORDER = ("info", "low", "medium", "high", "critical")
# Doubling from low to critical: one critical rule counts as much as eight low ones; info rules
# are shown but never move the score.
SEVERITY_WEIGHTS = {"info": 0, "low": 1, "medium": 2, "high": 4, "critical": 8}


class Domain(models.TextChoices):
    """The domains of the simplified audit (PRODUCT.md, capability 2)."""

    DOCUMENTATION = "documentation", _("Documentation")
    CONTINUITY = "continuity", _("Continuity")
    DATA_PROTECTION = "data-protection", _("Data protection")
    SECURITY = "security", _("Security")
    USAGE = "usage", _("Usage and shadow IT")
    COSTS = "costs", _("Costs and sobriety")
    CONTRACTS = "contracts", _("Vendors and contracts")
    TERMS = "terms", _("Terms of use and content")
    SKILLS = "skills", _("Skills")


#: The prefix of rule ids in each domain (DOC-001, CON-002...).
DOMAIN_PREFIX = {
    "documentation": "DOC",
    "continuity": "CON",
    "data-protection": "DAT",
    "security": "SEC",
    "usage": "USE",
    "costs": "CST",
    "contracts": "CTR",
    "terms": "TOU",
    "skills": "SKL",
}


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WAIVED = "waived", _("Waived")


class Answer(models.TextChoices):
    """A person's answer to a questionnaire item; ``unknown`` leaves the item out of the score."""

    YES = "yes", _("Yes")
    PARTIAL = "partial", _("Partly")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Don't know")


#: How much of a questionnaire item an answer satisfies (its "compliance"); unknown is not counted.
ANSWER_COMPLIANCE = {"yes": 1.0, "partial": 0.5, "no": 0.0}


def severity_at_least(threshold: str) -> list[str]:
    """The severities at or above ``threshold`` ("high" -> ["high", "critical"])."""
    return list(SEVERITY_ORDER[SEVERITY_ORDER.index(threshold):])
