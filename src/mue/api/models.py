"""Personal API tokens: a user's key for scripts and integrations, stored hashed, shown once.

A token acts as its user: the user's workspace roles apply unchanged, through the one access layer
(:mod:`mue.core.access`). It may be read-only (any write is refused with 403) and may expire.
Only a SHA-256 of the secret is stored: tokens are 256 random bits, so a fast hash is enough
(a slow password hash protects guessable secrets), and lookups are one indexed query.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. “inventory sync”."))
    prefix = models.CharField(_("prefix"), max_length=16, help_text=_("The first characters, to recognise it."))
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    read_only = models.BooleanField(_("read-only"), default=False)
    created = models.DateTimeField(_("created"), default=timezone.now)
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def expired(self) -> bool:
        return self.expires is not None and self.expires <= timezone.now()

    @property
    def active(self) -> bool:
        return self.revoked is None and not self.expired
