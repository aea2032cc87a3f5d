"""Each signed-in user's language and time zone, from their profile."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation


class UserPreferencesMiddleware:
    """Activate the signed-in user's language and time zone (after AuthenticationMiddleware).

    Anonymous pages keep what LocaleMiddleware chose from the browser; a user's profile is created on
    their first signed-in request, in the language their browser asked for (LocaleMiddleware's choice:
    French when the browser says nothing else) and the instance's time zone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        from mue.accounts.models import profile_of

        profile = profile_of(user, getattr(request, "LANGUAGE_CODE", None))
        translation.activate(profile.language)
        request.LANGUAGE_CODE = translation.get_language()
        try:
            timezone.activate(zoneinfo.ZoneInfo(profile.time_zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        try:
            response = self.get_response(request)
        finally:
            timezone.deactivate()
        response.headers["Content-Language"] = translation.get_language()
        return response
