"""Costs: the shares of a cost line between services, and the secret addresses of the renewal calendars."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mue.core.models import RegisterObject, WorkspaceScoped


class CostShare(RegisterObject):
    """One service's part of a shared cost line (the line's sharing key says how parts are computed)."""

    cost = models.ForeignKey("vendors.CostLine", on_delete=models.CASCADE, related_name="shares",
                             verbose_name=_("cost line"))
    service = models.ForeignKey("services.Service", on_delete=models.CASCADE, related_name="cost_shares",
                                verbose_name=_("service"))
    percent = models.DecimalField(
        _("percentage"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("This service's percentage of the line, when its sharing key is 'percentages' (the "
                    "percentages of a line sum to 100)."))

    class Meta(RegisterObject.Meta):
        verbose_name = _("cost share")
        verbose_name_plural = _("cost shares")

    class Map:
        key = "cost_shares"
        singular = "cost_share"
        order = 95


class CalendarFeed(WorkspaceScoped):
    """The secret address of a workspace's renewal calendar, which a calendar application subscribes to.

    As for API tokens (:mod:`mue.api.tokens`), only the SHA-256 of the secret is stored; the address
    is shown once, when created. A revoked feed answers 404, like one that never existed.
    """

    name = models.CharField(_("name"), max_length=100, help_text=_("Who or what subscribes, e.g. “DGS calendar”."))
    prefix = models.CharField(_("prefix"), max_length=16)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created = models.DateTimeField(_("created"), default=timezone.now)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
