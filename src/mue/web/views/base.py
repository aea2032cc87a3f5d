"""What every workspace page shares: sign-in, the one permission gate, the workspace on the request."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from mue.core.access import allowed_actions, get_workspace


def workspace_view(action: str = "view") -> Callable:
    """Decorate a view taking ``(request, workspace, ...)``: ``workspace`` arrives as the slug from the
    URL and reaches the view as the :class:`~mue.core.models.Workspace`, once the user is signed in
    and may do ``action`` there. Anyone else gets the sign-in page (anonymous) or a 404 (a workspace
    they may not act on answers as one that does not exist).

    The view finds ``request.workspace`` and ``request.workspace_actions`` (what the user may do there,
    for showing buttons) set, and so does the layout.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, workspace: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            ws = get_workspace(workspace, request.user, action)
            request.workspace = ws
            request.workspace_actions = allowed_actions(request.user, ws)
            return view(request, ws, *args, **kwargs)

        wrapper.workspace_action = action
        return wrapper

    return decorate


def signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page outside any workspace that still needs a signed-in user."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper
