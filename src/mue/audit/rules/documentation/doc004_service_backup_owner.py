from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import live_services


@register
class ServiceWithoutBackupOwner(Rule):
    id = "DOC-004"
    domain = "documentation"
    severity = "medium"
    object_type = "service"
    title = _("Service without a backup owner")
    rationale = _("Work in pairs: every service needs a second person who can take over when its owner is "
                  "absent or leaves, so that a third party can take over at any time.")
    remediation = _("Name a backup owner for the service, a different person from its business and IT owners, "
                    "and hand the documentation over to them.")
    evidence = {"criticality": "criticality", "business_owner": "business_owner__slug", "it_owner": "it_owner__slug"}

    def scope(self, ctx):
        return live_services(ctx)

    def failing(self, ctx, scope):
        return scope.filter(backup_owner__isnull=True)
