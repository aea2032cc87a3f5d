from tests.web.conftest import member_factory  # noqa: F401  (the web pages' members, for the file pages)
