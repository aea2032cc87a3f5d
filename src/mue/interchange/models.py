"""What the import page keeps: column mappings saved under a name, and uploaded files between steps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mue.core.models import WorkspaceScoped


class SavedMapping(WorkspaceScoped):
    """A column mapping saved in a workspace, as the CLI reads it from a file (:mod:`mue.interchange.mapping`).

    A client who sends the same spreadsheet every quarter is imported with the same mapping; it is
    downloaded as the YAML file ``mue import --mapping`` reads, and a file written by hand is saved here.
    """

    name = models.CharField(_("name"), max_length=100)
    object_type = models.CharField(_("object type"), max_length=50)
    mapping = models.JSONField(_("mapping"), default=dict)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("saved by"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="interchange_mapping_name")]
        verbose_name = _("saved mapping")
        verbose_name_plural = _("saved mappings")

    def __str__(self) -> str:
        return self.name


class ImportUpload(WorkspaceScoped):
    """A file uploaded on the import page, kept while its sheets are matched, previewed and imported.

    Kept in the database (not on disk) so that every server process sees it and it goes with its
    workspace; uploads older than a day are deleted when a new one arrives.
    """

    file_name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=10)
    content = models.BinaryField(_("content"), default=bytes)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))
    # {"sheets": [{"title", "type", "mapping"}]}: the type and mapping chosen for each sheet
    draft = models.JSONField(_("draft"), default=dict, blank=True)
    # What the last preview or import said (counts, changes, problems, notes), shown on the page
    result = models.JSONField(_("result"), default=dict, blank=True)
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")

    def __str__(self) -> str:
        return self.file_name
