"""Comments on register objects: what people say about an application, a contract, a flow..."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mue.core.models import WorkspaceScoped


class Comment(WorkspaceScoped):
    """A comment on any register object, named by its registry type and id (as a document link is).

    The author's name is kept so that a comment outlives its author's account.
    """

    target_type = models.CharField(_("object type"), max_length=50)
    target_id = models.BigIntegerField(_("object id"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("author"))
    author_name = models.CharField(_("author"), max_length=150)
    body = models.TextField(_("comment"), max_length=10_000)
    created = models.DateTimeField(_("written"), auto_now_add=True)
    edited = models.DateTimeField(_("edited"), null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="comments_target")]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"{self.author_name} on {self.target_type}:{self.target_id}"
