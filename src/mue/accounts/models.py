"""A user's preferences (language, time zone) and the invitations to join a workspace."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import zoneinfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mue.core.models import Role, Workspace

#: How long an invitation link stays valid.
INVITATION_VALIDITY = dt.timedelta(days=14)


def time_zone_choices() -> list[tuple[str, str]]:
    """Every IANA time zone, sorted (the profile form's choices)."""
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())
            if "/" in name and not name.startswith(("Etc/", "SystemV/"))] + [("UTC", "UTC")]


class Profile(models.Model):
    """What a user chooses for themselves; created on demand by :func:`profile_of`.

    Kept out of the user model so that Django's own ``auth.User`` stays as it is (the admin, the
    password tools and django-axes all work on it unchanged).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile",
                                verbose_name=_("user"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    time_zone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)


def profile_of(user, language: str | None = None) -> Profile:
    """The user's profile, created the first time it is asked for: in ``language`` when given (the
    language the browser asked for on the user's first visit), else the instance's default."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        defaults = {"language": language} if language in dict(settings.LANGUAGES) else {}
        profile, _created = Profile.objects.get_or_create(user=user, defaults=defaults)
        user.profile = profile
        return profile


def hash_token(token: str) -> str:
    """The stored form of an invitation token: a leaked database gives no usable link."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, expires__gt=timezone.now())

    def by_token(self, token: str) -> Invitation | None:
        """The pending invitation of that (clear) token, or None."""
        return self.pending().filter(token_hash=hash_token(token)).select_related("workspace").first()


class Invitation(models.Model):
    """An owner's invitation to join a workspace with a role, sent as a link by email.

    Only the SHA-256 of the token is stored; the clear token exists once, in the email.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations",
                                  verbose_name=_("workspace"))
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    can_edit = models.BooleanField(_("may also edit the register"), default=False)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("sent"), default=timezone.now, editable=False)
    expires = models.DateTimeField(_("expires"))
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("invited by"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("accepted by"))

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.workspace.slug} ({self.role})"

    @classmethod
    def create(cls, workspace: Workspace, email: str, role: str, can_edit: bool = False,
               invited_by=None) -> tuple[Invitation, str]:
        """A new invitation and its clear token (to put in the link, never stored)."""
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        invitation = cls.objects.create(workspace=workspace, email=email, role=role,
                                        can_edit=can_edit and role == Role.AUDITOR, token_hash=hash_token(token),
                                        created=now, expires=now + INVITATION_VALIDITY, invited_by=invited_by)
        return invitation, token
