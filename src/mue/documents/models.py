"""Documents attached to any object, terms of use, and licences of third-party content."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mue.core.models import RegisterObject
from mue.documents import files
from mue.documents.choices import (
    AccessibilityCompliance,
    ClauseAssessment,
    ContentKind,
    DocumentKind,
    LicenceKind,
    TermsDirection,
    TermsKind,
    TermsVerdict,
)


class Document(RegisterObject):
    """A document (architecture, procedure, backup/restore...) about one or more objects."""

    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    url = models.CharField(_("link"), max_length=500, blank=True,
                           help_text=_("Where the document lives: a URL or a path on a share."))
    file = models.FileField(_("file"), upload_to=files.upload_to, max_length=300, blank=True)
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    owner = models.ForeignKey("organization.Person", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="documents", verbose_name=_("owner"))

    class Meta(RegisterObject.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    class Map:
        key = "documents"
        order = 95
        links = "about"
        exclude = ["file"]


class DocumentLink(models.Model):
    """A document is about an object of any type (named by its registry type and id)."""

    workspace_path = "document__workspace"  # the link belongs to its document's workspace

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links")
    target_type = models.CharField(_("object type"), max_length=50)
    target_id = models.BigIntegerField(_("object id"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "target_type", "target_id"], name="documents_link_unique"),
        ]
        indexes = [models.Index(fields=["target_type", "target_id"], name="documents_link_target")]
        verbose_name = _("document link")
        verbose_name_plural = _("document links")

    def __str__(self) -> str:
        return f"{self.document} → {self.target_type}:{self.target_id}"


class TermsOfUse(RegisterObject):
    """Terms of use (CGU) of a service we use or one we publish, or another notice a published service shows.

    What the organization publishes (website, citizen portal, app) carries its own terms, privacy
    notice, cookie banner and accessibility statement: each is one of these with its ``kind``.
    """

    direction = models.CharField(_("direction"), max_length=20, choices=TermsDirection.choices,
                                 default=TermsDirection.CONSUMED)
    kind = models.CharField(_("kind of text"), max_length=30, choices=TermsKind.choices, default=TermsKind.TERMS,
                            help_text=_("Notices other than the terms (privacy, cookies, accessibility) are "
                                        "those of a service the organization publishes."))
    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="terms", verbose_name=_("application"))
    service = models.ForeignKey("services.Service", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="terms", verbose_name=_("service"))
    url = models.URLField(_("link"), blank=True)
    version = models.CharField(_("version"), max_length=50, blank=True)
    version_date = models.DateField(_("version in force since"), null=True, blank=True,
                                    help_text=_("The date of the current version: a later date than the last "
                                                "review means the terms changed since."))
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    accessibility_compliance = models.CharField(
        _("declared accessibility compliance"), max_length=10, choices=AccessibilityCompliance.choices, blank=True,
        help_text=_("For an accessibility statement: the compliance it declares (RGAA)."))

    class Meta(RegisterObject.Meta):
        verbose_name = _("terms of use")
        verbose_name_plural = _("terms of use")

    class Map:
        key = "terms_of_use"
        singular = "terms"
        order = 96


class ContentLicence(RegisterObject):
    """Third-party content (photos, fonts, maps, texts) used in a service, its licence and the use made of it.

    The licence family (``licence_kind``) says what the licence forbids (``LICENCE_CONDITIONS``); the
    use recorded here (commercial, modified, credited) lets the audit tell when the use breaks it.
    """

    content_kind = models.CharField(_("kind of content"), max_length=20, choices=ContentKind.choices, blank=True)
    licence = models.CharField(_("licence"), max_length=100, blank=True,
                               help_text=_("CC-BY-4.0, proprietary, purchased... empty when unknown."))
    licence_kind = models.CharField(_("licence family"), max_length=20, choices=LicenceKind.choices, blank=True,
                                    help_text=_("Its family, which says what the licence requires or forbids."))
    holder = models.CharField(_("rights holder"), max_length=200, blank=True)
    expires = models.DateField(_("expires"), null=True, blank=True)
    url = models.URLField(_("link"), blank=True)
    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="content_licences", verbose_name=_("used in application"))
    service = models.ForeignKey("services.Service", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="content_licences", verbose_name=_("used in service"))
    used_where = models.CharField(_("where used"), max_length=300, blank=True,
                                  help_text=_("Pages, publications or places where the content appears."))
    commercial_use = models.BooleanField(_("commercial use"), null=True, blank=True,
                                         help_text=_("The content is used to sell something or in a paid "
                                                     "publication or service."))
    modified = models.BooleanField(_("modified"), null=True, blank=True,
                                   help_text=_("The content is cropped, edited, translated or combined."))
    attribution_given = models.BooleanField(_("attribution given"), null=True, blank=True,
                                            help_text=_("The author and licence are credited where it is used."))

    class Meta(RegisterObject.Meta):
        verbose_name = _("third-party content licence")
        verbose_name_plural = _("third-party content licences")

    class Map:
        key = "content_licences"
        singular = "content_licence"
        order = 97


def _assessment(label: str) -> models.CharField:
    return models.CharField(label, max_length=20, choices=ClauseAssessment.choices, blank=True)


def _note(label: str) -> models.CharField:
    return models.CharField(label, max_length=500, blank=True)


#: The checklist of a terms-of-use review: map key -> label (each item is assessed, with a note).
CHECKLIST = {
    "data_ownership": _("data ownership"),
    "data_location": _("data location"),
    "reversibility": _("reversibility and export format"),
    "unilateral_changes": _("unilateral changes"),
    "liability": _("liability"),
    "content_rights": _("rights granted on uploaded content"),
    "subprocessors": _("sub-processors"),
    "termination": _("termination"),
}


class TermsReview(RegisterObject):
    """A review of one version of terms of use against the checklist, with its verdict.

    Reviews are kept over time: a new version of the terms calls for a new review, the older ones stay
    as the history of what was accepted.
    """

    terms = models.ForeignKey(TermsOfUse, on_delete=models.CASCADE, related_name="reviews",
                              verbose_name=_("terms of use"))
    terms_version = models.CharField(_("version reviewed"), max_length=50, blank=True)
    terms_date = models.DateField(_("date of the version reviewed"), null=True, blank=True)
    reviewer = models.ForeignKey("organization.Person", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="terms_reviews", verbose_name=_("reviewer"))
    reviewed_on = models.DateField(_("review date"))

    data_ownership = _assessment(_("data ownership"))
    data_ownership_note = _note(_("data ownership: note"))
    data_location = _assessment(_("data location"))
    data_location_note = _note(_("data location: note"))
    reversibility = _assessment(_("reversibility and export format"))
    reversibility_note = _note(_("reversibility: note"))
    unilateral_changes = _assessment(_("unilateral changes"))
    unilateral_changes_note = _note(_("unilateral changes: note"))
    liability = _assessment(_("liability"))
    liability_note = _note(_("liability: note"))
    content_rights = _assessment(_("rights granted on uploaded content"))
    content_rights_note = _note(_("rights on uploaded content: note"))
    subprocessors = _assessment(_("sub-processors"))
    subprocessors_note = _note(_("sub-processors: note"))
    termination = _assessment(_("termination"))
    termination_note = _note(_("termination: note"))

    verdict = models.CharField(_("verdict"), max_length=20, choices=TermsVerdict.choices, blank=True,
                               help_text=_("Empty while the review is not concluded."))
    verdict_note = models.TextField(_("verdict note"), blank=True)

    class Meta(RegisterObject.Meta):
        verbose_name = _("terms-of-use review")
        verbose_name_plural = _("terms-of-use reviews")

    class Map:
        key = "terms_reviews"
        singular = "terms_review"
        order = 98
        groups = {"checklist": {
            sub: attr
            for item in CHECKLIST
            for sub, attr in ((item, item), (f"{item}_note", f"{item}_note"))
        }}
