"""Creating, finding and revoking personal API tokens (the profile page and ``mue token`` use these)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from mue.api.models import ApiToken

PREFIX = "mue_"
PREFIX_LENGTH = 12  # "mue_" and 8 characters of the secret: enough to tell one's tokens apart
LAST_USED_EVERY = dt.timedelta(minutes=1)  # a token's last use is written at most once a minute


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(user: Any, name: str, *, read_only: bool = False,
                 expires: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """A new token of ``user`` and its secret, which is shown once and never stored."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name.strip()[:100], prefix=secret[:PREFIX_LENGTH],
                                    digest=digest(secret), read_only=read_only, expires=expires)
    return token, secret


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def find(secret: str) -> ApiToken | None:
    """The token of that secret with its user (any state: the caller tells revoked from expired)."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    return ApiToken.objects.select_related("user").filter(digest=digest(secret)).first()


def touch(token: ApiToken) -> None:
    """Remember when the token was last used (at most once a minute: not a write per request)."""
    now = timezone.now()
    if token.last_used is None or now - token.last_used >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now


def revoke(token: ApiToken) -> None:
    if token.revoked is None:
        token.revoked = timezone.now()
        token.save(update_fields=["revoked"])
