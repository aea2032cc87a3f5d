"""The analyses' tests run jobs in the test process (no detached process can see the test database)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def inline_jobs(settings, tmp_path):
    settings.MUE_JOBS_RUNNER = "inline"
    settings.VAR_DIR = tmp_path


@pytest.fixture
def audited(valmont, owner):
    """Valmont audited once through the API; the job's answer."""
    response = owner.post("/api/v1/workspaces/valmont/audit/runs", {})
    assert response.status_code == 202, response.content
    return response.json()
