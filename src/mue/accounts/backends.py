"""Sign in with a user name or an email address, without telling which accounts exist."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


class UsernameOrEmailBackend(ModelBackend):
    """Django's ModelBackend, also accepting the account's email address as the identifier.

    An unknown identifier (or an email shared by several accounts) costs one password hash, as a
    wrong password does: the response time tells nothing about which accounts exist.
    """

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any):
        User = get_user_model()
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        user = self._find(username.strip())
        if user is None:
            User().set_password(password)  # the same work as checking a real password
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    @staticmethod
    def _find(identifier: str):
        User = get_user_model()
        try:
            return User._default_manager.get_by_natural_key(identifier)
        except User.DoesNotExist:
            pass
        if "@" not in identifier:
            return None
        matches = list(User._default_manager.filter(email__iexact=identifier)[:2])
        return matches[0] if len(matches) == 1 else None


def lockout_username(request: HttpRequest, credentials: dict | None) -> str:
    """What django-axes counts failures against: the identifier as typed, case and spaces ignored."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(value).strip().lower()
