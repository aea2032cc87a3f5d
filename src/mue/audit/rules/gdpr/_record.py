"""What the record rules share: which activities make the record, the link tables, the requirement."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mue.audit.rules.base import AuditContext, Requirement
from mue.gdpr.models import ProcessingActivity

#: Drafts (suggestions not yet accepted) and rejected or ended activities are not in the record.
IN_RECORD = ("active",)

ActivityApps = ProcessingActivity.applications.through
ActivityData = ProcessingActivity.data.through
ActivityFlows = ProcessingActivity.flows.through


def record(ctx: AuditContext) -> QuerySet:
    return ctx.objects("processing_activity").filter(status__in=IN_RECORD)


def _no_record(ctx: AuditContext) -> str | None:
    if record(ctx).exists():
        return None
    return str(_("no record of processing activities yet (mue gdpr suggest proposes one from the map)"))


HAS_RECORD = Requirement("gdpr-record", _("a record of processing activities"), _no_record)
