"""Demo workspaces loaded once per test module (loading Valmont takes about a second).

The data is committed outside the per-test transactions and deleted when the module is done, so
the planted-problem tests can share one load without leaking into other modules.
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def loaded_demos(django_db_setup, django_db_blocker):
    """Both demos, loaded as of the real today; yields the day they were loaded for."""
    from mue.core.models import Workspace
    from mue.demo import DEMOS, load_demo, today

    with django_db_blocker.unblock():
        for name in DEMOS:
            load_demo(name, replace=True)
        loaded_on = today()
    yield loaded_on
    with django_db_blocker.unblock():
        Workspace.objects.filter(slug__in=list(DEMOS)).delete()
