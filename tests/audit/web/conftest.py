"""Fixtures of the audit pages' tests: those of the web pages (a member, the Valmont demo)."""

from tests.web.conftest import member_factory, owner_client, valmont  # noqa: F401  (fixtures)
