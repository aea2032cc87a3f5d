from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import critical_services, service_documented


@register
class CriticalServiceWithoutBackupDocument(Rule):
    id = "DOC-002"
    domain = "documentation"
    severity = "high"
    object_type = "service"
    title = _("Critical service without a backup and restore document")
    rationale = _("A backup nobody knows how to restore is not a backup: the restore of a critical service "
                  "must be written down, what is saved, where, how often and how to bring it back.")
    remediation = _("Document the backup and the restore procedure of the service's data and link the "
                    "document to the service or its applications.")
    evidence = {"criticality": "criticality", "rto_hours": "rto_hours"}

    def scope(self, ctx):
        return critical_services(ctx)

    def failing(self, ctx, scope):
        return scope.exclude(service_documented(("backup-restore",)))
