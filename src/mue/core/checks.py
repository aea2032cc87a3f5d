"""Deployment checks of Mue's own settings (``manage.py check --deploy``).

Django's security.W009 catches a short or low-variety secret key, but not a long one that is known:
a placeholder copied from the documentation, or the key a former version of Mue fell back to. Nor
does it look at where Mue keeps a generated key.
"""

from __future__ import annotations

import stat
from pathlib import Path

from django.conf import settings
from django.core.checks import Tags, Warning, register

# Keys that were public at some time (an old fallback in the code, placeholders in the docs).
KNOWN_KEYS = {"mue-insecure-development-key-change-me-in-production"}
PLACEHOLDER_WORDS = ("insecure", "change-me", "changeme", "change_me", "secret-key", "replace-me")


@register(Tags.security, deploy=True)
def check_secret_key(app_configs=None, **kwargs) -> list[Warning]:
    """The secret key must not be one anybody could know."""
    key = str(getattr(settings, "SECRET_KEY", ""))
    if key in KNOWN_KEYS or any(word in key.lower() for word in PLACEHOLDER_WORDS):
        return [Warning(
            "SECRET_KEY is a known or placeholder value: anyone could forge sessions and password-reset links.",
            hint="Unset MUE_SECRET_KEY (Mue then keeps a generated key in MUE_VAR_DIR/secret_key) or set "
                 "it to a random value, e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'.",
            id="mue.W001",
        )]
    return []


@register(Tags.security, deploy=True)
def check_secret_key_file(app_configs=None, **kwargs) -> list[Warning]:
    """A generated key kept in the data directory must be readable by Mue's user only."""
    path = Path(getattr(settings, "SECRET_KEY_FILE", ""))
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return []
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        return [Warning(
            f"{path} can be read by other users of the machine.",
            hint=f"chmod 600 {path}",
            id="mue.W002",
        )]
    return []
