"""Structured errors of the API: a stable code, the field concerned and a message in the caller's language.

Every rejection has the same shape (:class:`Error`), whatever raised it (the access layer, the
importer's validation, a filter, ninja's own parameter checks, the CSRF check, the rate limit)::

    {"code": "invalid", "message": "2 problems", "field": null,
     "errors": [{"code": "invalid", "index": 3, "field": "status", "message": "..."}]}

``index`` is the item of a bulk request a problem belongs to (the importer's row), ``field`` its key.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from mue.api.ratelimit import retry_after
from mue.interchange.problems import Problem

logger = logging.getLogger("mue.api")


class ErrorItem(Schema):
    code: str
    field: str | None = None
    index: int | None = None
    message: str


class Error(Schema):
    code: str
    message: str
    field: str | None = None
    errors: list[ErrorItem] = []


ERROR_RESPONSES = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}


class ApiError(Exception):
    """An answer other than success: ``raise ApiError(404, "not_found", _("..."))``."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None,
                 errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field, self.errors = status, code, message, field, errors or []

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "field": self.field, "errors": self.errors}


def invalid(errors: list[dict[str, Any]]) -> ApiError:
    """422 listing every problem found (nothing was written)."""
    message = ngettext("%(count)s problem", "%(count)s problems", len(errors)) % {"count": len(errors)}
    field = errors[0].get("field") if len(errors) == 1 else None
    return ApiError(422, "invalid", message, field=field, errors=[{"code": "invalid", **e} for e in errors])


def problems(found: list[Problem], bulk: bool) -> ApiError:
    """The importer's problems as a 422: its row becomes the item index, its field stays the field."""
    items = []
    for problem in found:
        index = problem.sort_key[0] if problem.sort_key and isinstance(problem.sort_key[0], int) else None
        items.append({"field": problem.field or None, "index": index if bulk and index is not None and index >= 0
                      else None, "message": problem.message})
    return invalid(items)


def not_found(message: str | None = None) -> ApiError:
    return ApiError(404, "not_found", message or _("Not found."))


# -- handlers ------------------------------------------------------------------------------------------


def _respond(api: NinjaAPI, request: HttpRequest, error: ApiError) -> HttpResponse:
    response = api.create_response(request, error.body(), status=error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="mue"'
    return response


def _field_of(loc: list | tuple) -> str | None:
    """ninja's error location (``["query", "limit"]``, ``["body", "payload", "name"]``) as a field name."""
    parts = [str(p) for p in loc if p not in ("query", "path", "body", "header", "payload")]
    return ".".join(parts) or None


def install(api: NinjaAPI) -> None:
    """Make every failure of ``api`` answer with an :class:`Error` body."""

    @api.exception_handler(ApiError)
    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return _respond(api, request, exc)

    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return _respond(api, request, invalid([{"field": _field_of(e.get("loc", ())), "message": str(e.get("msg"))}
                                               for e in exc.errors]))

    @api.exception_handler(AuthenticationError)
    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return _respond(api, request, ApiError(401, "not_authenticated", _(
            "Authentication required: send a token as “Authorization: Bearer <token>”, or sign in.")))

    @api.exception_handler(Throttled)
    def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        response = _respond(api, request, ApiError(429, "rate_limited", _("Too many requests: wait and try again.")))
        if exc.wait:
            response["Retry-After"] = str(retry_after(exc.wait))  # seconds to the end of the caller's window
        return response

    @api.exception_handler(Http404)
    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _respond(api, request, ApiError(404, "not_found", str(exc) or _("Not found.")))

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 403:  # ninja's session check: the CSRF token is missing or wrong
            return _respond(api, request, ApiError(403, "csrf_failed", _(
                "The CSRF token is missing or wrong: send the csrftoken cookie's value as X-CSRFToken.")))
        return _respond(api, request, ApiError(exc.status_code, "http_error", str(exc)))

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return _respond(api, request, ApiError(413, "too_large", _("The request body is too large.")))

    @api.exception_handler(Exception)
    def on_bug(request: HttpRequest, exc: Exception) -> HttpResponse:
        # A bug, not the caller's fault: logged with its traceback, answered in the same shape.
        logger.exception("API error on %s %s", request.method, request.path)
        return _respond(api, request, ApiError(500, "internal_error", _("Internal error; it has been logged.")))
