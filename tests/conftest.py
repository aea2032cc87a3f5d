"""Test set-up shared by the whole suite.

The suite runs on SQLite, and on PostgreSQL when ``DATABASE_URL`` points to it (``make test`` runs
both). When PostgreSQL does not answer, every test of that run is skipped with the reason.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from django.conf import settings

# CLI messages in tests are English whatever the machine's locale (LANG=fr_FR would give French).
os.environ["MUE_LANGUAGE"] = "en"


def _postgres_unreachable() -> str | None:
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        return None
    host, port = db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432)
    try:
        with socket.create_connection((host, port), timeout=2):
            return None
    except OSError as exc:
        return f"PostgreSQL does not answer on {host}:{port} ({exc}); PostgreSQL tests skipped"


def pytest_collection_modifyitems(config, items):
    reason = _postgres_unreachable()
    if reason:
        skip = pytest.mark.skip(reason=reason)
        for item in items:
            item.add_marker(skip)


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    return f"mue database backend: {db['ENGINE'].rsplit('.', 1)[-1]}"


@pytest.fixture(autouse=True)
def english():
    """Tests read messages in English (the source language) unless they choose French."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def workspace(db):
    from mue.core.models import Workspace

    return Workspace.objects.create(slug="test-ws", name="Test workspace")


@pytest.fixture
def compiled():
    """Compile the catalogues with `mue i18n compile`, then make this process read them afresh."""
    import gettext as gettext_module

    from django.utils.translation import trans_real
    from typer.testing import CliRunner

    from mue.cli.main import app

    locale = Path(__file__).resolve().parent.parent / "src" / "mue" / "locale"
    result = CliRunner().invoke(app, ["i18n", "compile"])
    assert result.exit_code == 0, result.output
    assert "catalogue(s) compiled" in result.output
    for language in ("fr", "en"):
        mo = locale / language / "LC_MESSAGES" / "django.mo"
        po = mo.with_suffix(".po")
        assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime
    # Django and the gettext module both cache loaded catalogues per process: forget them.
    gettext_module._translations.clear()
    trans_real._translations = {}
    trans_real._default = None
    yield
    gettext_module._translations.clear()
    trans_real._translations = {}
    trans_real._default = None


@pytest.fixture
def client():
    """Django's test client asking for English pages (French is the site's default language): tests read
    the source strings; a test of French sends ``Accept-Language: fr`` or sets the user's language."""
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")
