from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    ARCHITECTURE = "architecture", _("Architecture")
    PROCEDURE = "procedure", _("Operating procedure")
    BACKUP_RESTORE = "backup-restore", _("Backup and restore")
    ADMIN_ACCOUNTS = "admin-accounts", _("Administrator accounts")
    CONTINUITY_PLAN = "continuity-plan", _("Continuity / recovery plan")
    CONTRACT = "contract", _("Contract")
    USER_GUIDE = "user-guide", _("User guide")
    OTHER = "other", _("Other")


class TermsDirection(models.TextChoices):
    CONSUMED = "consumed", _("Terms we accept (a service we use)")
    PUBLISHED = "published", _("Terms we publish (a service we offer)")


class TermsKind(models.TextChoices):
    """What a text of the terms-of-use type is: the terms themselves or another notice of a published service."""

    TERMS = "terms", _("Terms of use")
    PRIVACY_NOTICE = "privacy-notice", _("Privacy notice")
    COOKIE_BANNER = "cookie-banner", _("Cookie banner and policy")
    ACCESSIBILITY_STATEMENT = "accessibility-statement", _("Accessibility statement")
    LEGAL_NOTICE = "legal-notice", _("Legal notice")


class AccessibilityCompliance(models.TextChoices):
    """The compliance an accessibility statement declares (RGAA, French law of 2005 art. 47)."""

    FULL = "full", _("Fully compliant")
    PARTIAL = "partial", _("Partially compliant")
    NONE = "none", _("Not compliant")


class ClauseAssessment(models.TextChoices):
    """How one item of the terms-of-use checklist reads for the organization."""

    OK = "ok", _("Acceptable")
    CONCERN = "concern", _("Concern")
    UNACCEPTABLE = "unacceptable", _("Unacceptable")
    NOT_STATED = "not-stated", _("Not stated in the terms")


class TermsVerdict(models.TextChoices):
    BALANCED = "balanced", _("Balanced")
    UNBALANCED = "unbalanced", _("Unbalanced")
    UNACCEPTABLE = "unacceptable", _("Unacceptable")


class ContentKind(models.TextChoices):
    IMAGE = "image", _("Image or photograph")
    FONT = "font", _("Font")
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Sound or music")
    TEXT = "text", _("Text")
    DATASET = "dataset", _("Dataset")
    MAP = "map", _("Map or map tiles")
    ICON = "icon", _("Icons or pictograms")
    OTHER = "other", _("Other")


class LicenceKind(models.TextChoices):
    """Licence families whose conditions the audit knows (see ``LICENCE_CONDITIONS``)."""

    CC0 = "cc0", _("Creative Commons Zero (public domain dedication)")
    CC_BY = "cc-by", _("Creative Commons Attribution (CC BY)")
    CC_BY_SA = "cc-by-sa", _("Creative Commons Attribution-ShareAlike (CC BY-SA)")
    CC_BY_ND = "cc-by-nd", _("Creative Commons Attribution-NoDerivatives (CC BY-ND)")
    CC_BY_NC = "cc-by-nc", _("Creative Commons Attribution-NonCommercial (CC BY-NC)")
    CC_BY_NC_SA = "cc-by-nc-sa", _("Creative Commons Attribution-NonCommercial-ShareAlike (CC BY-NC-SA)")
    CC_BY_NC_ND = "cc-by-nc-nd", _("Creative Commons Attribution-NonCommercial-NoDerivatives (CC BY-NC-ND)")
    ETALAB_2 = "etalab-2.0", _("Etalab open licence 2.0")
    ODBL = "odbl", _("Open Database Licence (ODbL)")
    OFL = "ofl", _("SIL Open Font Licence")
    PUBLIC_DOMAIN = "public-domain", _("Public domain")
    PROPRIETARY = "proprietary", _("Proprietary (purchased or subscribed)")
    PERMISSION = "permission", _("Written permission of the rights holder")
    OTHER = "other", _("Other")


#: What each licence family requires or forbids: attribution required, share-alike on derivatives,
#: non-commercial use only, no derivatives. Proprietary licences and permissions are read from their
#: own terms (their expiry is what the register tracks).
LICENCE_CONDITIONS: dict[str, dict[str, bool]] = {
    kind: {
        "attribution": kind.startswith("cc-by") or kind in ("etalab-2.0", "odbl"),
        "share_alike": kind.endswith("-sa") or kind == "odbl",
        "non_commercial": "-nc" in kind,
        "no_derivatives": kind.endswith("-nd"),
    }
    for kind in LicenceKind.values
}


def licence_kinds_with(condition: str) -> list[str]:
    """The licence families carrying ``condition`` (``"non_commercial"`` → the CC BY-NC variants)."""
    return [kind for kind, conditions in LICENCE_CONDITIONS.items() if conditions[condition]]
