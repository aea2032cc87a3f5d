"""Documents attached to any object, terms of use, and licences of third-party content."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mue.core.models import RegisterObject
from mue.documents import files
from mue.documents.choices import DocumentKind, TermsDirection


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
    """Terms of use (CGU) of a service we use or one we publish."""

    direction = models.CharField(_("direction"), max_length=20, choices=TermsDirection.choices,
                                 default=TermsDirection.CONSUMED)
    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="terms", verbose_name=_("application"))
    service = models.ForeignKey("services.Service", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="terms", verbose_name=_("service"))
    url = models.URLField(_("link"), blank=True)
    version = models.CharField(_("version"), max_length=50, blank=True)
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)

    class Meta(RegisterObject.Meta):
        verbose_name = _("terms of use")
        verbose_name_plural = _("terms of use")

    class Map:
        key = "terms_of_use"
        singular = "terms"
        order = 96


class ContentLicence(RegisterObject):
    """Third-party content (photos, fonts, maps, texts) used in a service, and its licence."""

    licence = models.CharField(_("licence"), max_length=100, blank=True,
                               help_text=_("CC-BY-4.0, proprietary, purchased... empty when unknown."))
    holder = models.CharField(_("rights holder"), max_length=200, blank=True)
    expires = models.DateField(_("expires"), null=True, blank=True)
    url = models.URLField(_("link"), blank=True)
    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="content_licences", verbose_name=_("used in application"))
    service = models.ForeignKey("services.Service", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="content_licences", verbose_name=_("used in service"))

    class Meta(RegisterObject.Meta):
        verbose_name = _("third-party content licence")
        verbose_name_plural = _("third-party content licences")

    class Map:
        key = "content_licences"
        singular = "content_licence"
        order = 97
