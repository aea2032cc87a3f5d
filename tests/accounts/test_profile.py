"""Each user's language and time zone, from their profile."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from mue.accounts.middleware import UserPreferencesMiddleware
from mue.accounts.models import Profile, profile_of


def test_new_users_get_french_and_paris(make_user):
    profile = profile_of(make_user("alice"))
    assert (profile.language, profile.time_zone) == ("fr", "Europe/Paris")


def test_the_profile_language_applies_to_the_pages(client, make_user):
    user = make_user("alice", "alice@example.org")
    client.force_login(user)
    page = client.get("/accounts/me/", HTTP_ACCEPT_LANGUAGE="fr")  # the first visit's language is kept
    assert page.status_code == 200
    assert page["Content-Language"] == "fr" and '<html lang="fr">' in page.content.decode()
    assert "Se déconnecter" in page.content.decode()
    assert client.get("/accounts/me/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "fr"

    response = client.post("/accounts/me/", {"first_name": "Alice", "last_name": "Martin", "email": "a@example.org",
                                             "language": "en", "time_zone": "America/New_York"})
    assert response.status_code == 302
    profile = Profile.objects.get(user=user)
    assert (profile.language, profile.time_zone) == ("en", "America/New_York")
    user.refresh_from_db()
    assert (user.first_name, user.email) == ("Alice", "a@example.org")

    home = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert home.wsgi_request.LANGUAGE_CODE == "en" and home["Content-Language"] == "en"
    assert '<html lang="en">' in home.content.decode() and "Log out" in home.content.decode()


def test_a_signed_in_user_follows_the_profile_not_the_browser(client, make_user):
    user = make_user("bruno")
    profile = profile_of(user)
    profile.language = "en"
    profile.save()
    client.force_login(user)
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr")["Content-Language"] == "en"


def test_anonymous_pages_follow_the_browser(client, db):
    assert client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"
    assert client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr")["Content-Language"] == "fr"


def test_an_unknown_time_zone_is_refused(client, make_user):
    client.force_login(make_user("alice"))
    response = client.post("/accounts/me/", {"language": "en", "time_zone": "Mars/Olympus"})
    assert response.status_code == 200 and response.context["form"].errors["time_zone"]


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Tokyo"])
def test_the_middleware_activates_the_time_zone(make_user, zone):
    user = make_user("alice")
    profile = profile_of(user)
    profile.time_zone = zone
    profile.save()
    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = user
    UserPreferencesMiddleware(view)(request)
    assert seen["zone"] == zone
    assert timezone.get_current_timezone_name() == "Europe/Paris"  # deactivated after the request
