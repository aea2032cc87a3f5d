"""What the web pages keep of their own: the saved views of the lists."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mue.core.models import WorkspaceScoped


class SavedView(WorkspaceScoped):
    """A list's filters, columns, sort and page size saved under a name, by one member.

    Private (only its owner sees it) or shared with everyone who may view the workspace. ``query`` is
    the list's query string in canonical form (:func:`mue.web.saved_views.canonical_query`): applying
    the view is opening the list with it, and the list knows it shows a saved view when its own query
    is the same. The owner's name is kept beside the account, as a comment's author is, so that a
    shared view still says whose it is once the account is gone (or after a handover elsewhere).
    """

    object_type = models.CharField(_("object type"), max_length=50)
    name = models.CharField(_("name"), max_length=100)
    query = models.TextField(_("filters and columns"), max_length=4000, blank=True)
    shared = models.BooleanField(_("shared with the workspace"), default=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("owner"))
    owner_name = models.CharField(_("owner"), max_length=150)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["workspace", "object_type", "name"], name="web_savedview_list")]
        constraints = [models.UniqueConstraint(fields=["workspace", "object_type", "owner", "name"],
                                               name="web_savedview_unique_name")]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")

    def __str__(self) -> str:
        return f"{self.name} ({self.object_type})"
