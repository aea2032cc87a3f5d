from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import live_services, service_documented


@register
class RtoWithoutBackupDocument(Rule):
    id = "CON-003"
    domain = "continuity"
    severity = "high"
    object_type = "service"
    title = _("Recovery time stated but no backup document")
    rationale = _("A maximum tolerable outage (RTO) is a promise; without a written backup and restore "
                  "procedure nothing shows it can be kept.")
    remediation = _("Write the backup and restore procedure that meets the RTO, test it, and link it to the "
                    "service or its applications.")
    evidence = {"rto_hours": "rto_hours", "rpo_hours": "rpo_hours", "criticality": "criticality"}

    def scope(self, ctx):
        return live_services(ctx).filter(rto_hours__isnull=False)

    def failing(self, ctx, scope):
        return scope.exclude(service_documented(("backup-restore", "continuity-plan")))
