"""Every web request writes its changes under the requesting user and one request id.

The API (``/api/``) opens its own context once it knows the caller (a token's user, source "api").
"""

from mue.core.changelog import change_context


class ChangeContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            return self.get_response(request)
        user = getattr(request, "user", None)
        authenticated = bool(user and user.is_authenticated)
        with change_context(
            actor_name=user.get_username() if authenticated else "anonymous",
            source="web",
            actor_id=user.pk if authenticated else None,
        ):
            return self.get_response(request)
