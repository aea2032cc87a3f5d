"""HTTP security of the web pages: the Content-Security-Policy header, the CSRF failure page, the upload cap.

A middleware of our own rather than django-csp: the policy is one static header for every page (no
nonces, since no page has inline script or style, and no per-view exceptions), which is a dozen lines;
its setting, ``SECURE_CSP``, already has the shape of Django 6.0's built-in one, so moving to Django 6
is deleting this class. The other headers (X-Frame-Options, Referrer-Policy, nosniff, COOP, HSTS) are
Django's own settings.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

HEADER = "Content-Security-Policy"


def csp_header(policy: dict[str, list[str]]) -> str:
    """``{"default-src": ["'self'"], ...}`` -> ``"default-src 'self'; ..."``."""
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    """Adds ``settings.SECURE_CSP`` to every response that does not set its own policy.

    With debug on, Django's technical error pages (404 with the URL patterns, 500 with the traceback)
    carry inline style and script; they are left without the header so a developer can read them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.value = csp_header(settings.SECURE_CSP)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER in response:
            return response
        if settings.DEBUG and response.status_code in (404, 500) and _is_technical(response):
            return response
        response[HEADER] = self.value
        return response


def _is_technical(response: HttpResponse) -> bool:
    content = getattr(response, "content", b"")
    return b'<meta name="robots" content="NONE,NOARCHIVE">' in content[:2000]


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: a form came back without a valid token, most often because it expired.

    Django's own page is in English and speaks of "CSRF verification"; this one says what happened
    in the user's words and what to do (go back, reload, send again). The technical reason is kept out
    of the page (it is in the server's log, django.security.csrf).
    """
    return render(request, "403_csrf.html", status=403)


def upload_too_large(request: HttpRequest) -> bool:
    """True when a file of this request was refused for being larger than ``MUE_MAX_UPLOAD_BYTES``.

    An upload view says so instead of "this field is required" (the refused file is not in FILES).
    """
    request.FILES  # noqa: B018  (parses the body, which runs the upload handlers)
    return bool(getattr(request, "mue_upload_too_large", False))


class LimitedUploadHandler(FileUploadHandler):
    """First of ``FILE_UPLOAD_HANDLERS``: stops taking files once a request's files pass the upload limit.

    Counting the bytes as they arrive, before they reach memory or a temporary file, makes the limit
    hold for every upload view, also one that forgets to check the size. The fields before the file
    (the CSRF token first) are kept; the file and what follows it are read and dropped.
    """

    def __init__(self, request: HttpRequest | None = None):
        super().__init__(request)
        self.limit = settings.MUE_MAX_UPLOAD_BYTES
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self._refuse()
        return raw_data

    def file_complete(self, file_size: int):
        return None

    def _refuse(self) -> None:
        if self.request is not None:
            self.request.mue_upload_too_large = True
        raise StopUpload(connection_reset=False)  # the rest of the body is read and dropped
