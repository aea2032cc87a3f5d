"""Who is calling and what they may do: personal tokens, the browser's session, one permission check.

A request carries ``Authorization: Bearer mue_…`` (scripts, integrations) or the session cookie of
a signed-in browser, whose writes need the CSRF token (``X-CSRFToken``) like any form. Either way the
caller is a user, and the workspace is reached through :func:`mue.core.access.get_workspace`, the
check the web pages make: a workspace the user may not see is a 404, one they may see but not act on
as asked is a 403. A read-only token is refused every write (403).
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import SimpleRateThrottle

from mue.api import ratelimit, tokens
from mue.api.errors import ApiError
from mue.core.access import Action, WorkspaceNotFound, get_workspace, workspaces_for
from mue.core.models import Workspace


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``: a personal token, active (not revoked, not expired)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = tokens.find(token)
        if found is None or found.revoked is not None:
            raise ApiError(401, "invalid_token", _("This token is unknown or was revoked."))
        if found.expired:
            raise ApiError(401, "token_expired", _("This token has expired: create a new one on your account page."))
        if not found.user.is_active:
            raise ApiError(401, "invalid_token", _("This token's account is disabled."))
        tokens.touch(found)
        request.mue_token = found
        request.user = found.user
        return found.user


class BrowserSession(SessionAuth):
    """The signed-in browser (the documentation page's "Try it out"); CSRF checked on writes."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        request.mue_token = None
        return super().authenticate(request, key)


AUTH = [TokenAuth(), BrowserSession()]


def caller(request: HttpRequest) -> Any:
    return request.auth


def workspace_for(request: HttpRequest, slug: str, action: str = Action.VIEW) -> Workspace:
    """The workspace ``slug`` if the caller may do ``action`` there; 404 if they may not see it, else 403."""
    user = caller(request)
    if action != Action.VIEW:
        token = getattr(request, "mue_token", None)
        if token is not None and token.read_only:
            raise ApiError(403, "read_only_token", _("This token is read-only."))
    try:
        return get_workspace(slug, user, action)
    except WorkspaceNotFound:
        if action != Action.VIEW and workspaces_for(user, Action.VIEW).filter(slug=slug).exists():
            raise ApiError(403, "forbidden", _("Your role in this workspace does not allow this.")) from None
        raise ApiError(404, "workspace_not_found", _("No workspace '%(slug)s'.") % {"slug": slug}) from None


class TokenRateThrottle(SimpleRateThrottle):
    """``MUE_API_RATE_LIMIT`` requests per token (or per signed-in user), e.g. ``"600/m"``; empty: off.

    Counted for the whole instance, whatever the number of server processes (:mod:`mue.api.ratelimit`).
    The rate is read on each request, so a deployment (or a test) changes it through the setting.
    """

    scope = "api"

    def __init__(self) -> None:
        self.rate = None
        self.num_requests = self.duration = None
        self._wait: dict[int, float] = {}  # thread -> seconds to wait, for the refused request's Retry-After

    def allow_request(self, request: HttpRequest) -> bool:
        rate = getattr(settings, "MUE_API_RATE_LIMIT", None)
        if not rate:
            return True
        if rate != self.rate:
            self.rate = rate
            self.num_requests, self.duration = self.parse_rate(rate)
        key = self.get_cache_key(request)
        if key is None:
            return True
        count, left = ratelimit.counter().hit(key, int(self.duration))
        if count > self.num_requests:
            self._wait[threading.get_ident()] = left
            return False
        return True

    def wait(self) -> float | None:
        return self._wait.pop(threading.get_ident(), None)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "mue_token", None)
        ident = f"token-{token.pk}" if token is not None else f"user-{getattr(request.auth, 'pk', None)}"
        return f"{self.scope}:{ident}"
