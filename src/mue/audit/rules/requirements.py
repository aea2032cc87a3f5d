"""Data some rules need before they can judge anything, and how to tell it is there."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mue.audit.rules.base import AuditContext, Requirement

#: How far back observed use counts as "recent" (the issue's "no observed use for 90 days").
RECENT_DAYS = 90


def recent_month(ctx: AuditContext) -> dt.date:
    """First day of the month containing ``as_of - 90 days``: observations are monthly."""
    start = ctx.as_of - dt.timedelta(days=RECENT_DAYS)
    return start.replace(day=1)


def _usage(ctx: AuditContext) -> str | None:
    from mue.usage.models import UsageObservation

    if UsageObservation.objects.filter(workspace=ctx.workspace).exists():
        return None
    return gettext("no usage observations in this workspace (import proxy, DNS or SSO logs with discovery)")


def _skills(ctx: AuditContext) -> str | None:
    if not apps.is_installed("mue.skills"):
        return gettext("no skills data: the skills assessments (DigComp) are not part of this installation")
    from mue.skills.models import Assessment

    if Assessment.objects.filter(workspace=ctx.workspace).exists():
        return None
    return gettext("no skills assessments in this workspace (people assess their DigComp levels on the skills page)")


USAGE = Requirement("usage", _("usage observations (proxy, DNS or SSO logs)"), _usage)
SKILLS = Requirement("skills", _("skills assessments of the people of each unit (DigComp levels)"), _skills)
