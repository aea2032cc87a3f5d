"""Fixtures of the dashboard and cockpit tests: the demo workspaces, audited, and their members."""

from __future__ import annotations

import pytest


@pytest.fixture
def demos(db):
    from mue.core.models import Workspace
    from mue.demo import DEMOS, load_demo

    for name in DEMOS:
        load_demo(name)
    return {ws.slug: ws for ws in Workspace.objects.filter(slug__in=list(DEMOS))}


def audit(workspace):
    """Run and store an audit of the workspace, as ``mue audit`` does."""
    from mue.audit.engine import run_audit
    from mue.audit.store import save_run

    return save_run(run_audit(workspace), actor="test")


@pytest.fixture
def advisor(django_user_model, demos):
    from mue.core.models import Membership

    user = django_user_model.objects.create_user("conseil", "conseil@example.org", "pw-123456789")
    for ws in demos.values():
        Membership.objects.create(workspace=ws, user=user, role="auditor")
    return user
