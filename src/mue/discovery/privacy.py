"""User identifiers: normalised, then pseudonymised with the workspace's key unless its DPO allows names."""

from __future__ import annotations

import hashlib
import hmac


def normalise_user(raw: str) -> str:
    """The comparable form of a user id from a log: lower case, without a Windows domain (``CORP\\jdoe``).

    "-" and empty values mean no authenticated user and give "".
    """
    value = raw.strip().lower()
    if value in ("-", ""):
        return ""
    if "\\" in value:
        value = value.rsplit("\\", 1)[1]
    return value


class Pseudonymiser:
    """Turns normalised identifiers into what is stored: a keyed hash, or the identifier itself."""

    def __init__(self, key: str, allow_names: bool = False) -> None:
        self._key = key.encode()
        self.allow_names = allow_names
        self._cache: dict[str, str] = {}

    def __call__(self, identifier: str) -> str:
        if not identifier or self.allow_names:
            return identifier
        found = self._cache.get(identifier)
        if found is None:
            # HMAC, not a bare hash: without the key nobody can test a guessed name against the stored value.
            digest = hmac.new(self._key, identifier.encode(), hashlib.sha256).hexdigest()[:20]
            found = self._cache[identifier] = f"u-{digest}"
        return found


def person_identifiers(email: str, slug: str) -> set[str]:
    """The normalised ids a person may appear under in logs: full email, its local part, the register slug."""
    ids = {slug.lower()} if slug else set()
    if email:
        email = email.lower()
        ids.add(email)
        ids.add(email.split("@", 1)[0])
    return ids
