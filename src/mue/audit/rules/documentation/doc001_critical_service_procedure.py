from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import critical_services, service_documented


@register
class CriticalServiceWithoutProcedure(Rule):
    id = "DOC-001"
    domain = "documentation"
    severity = "high"
    object_type = "service"
    title = _("Critical service without an operating procedure")
    rationale = _("When a critical service breaks, whoever is there must be able to run or restart it without "
                  "its usual owner; without a written procedure the knowledge leaves with one person.")
    remediation = _("Write an operating procedure for the service (or its applications) and link it to the "
                    "service in the register.")
    evidence = {"criticality": "criticality", "business_owner": "business_owner__slug"}

    def scope(self, ctx):
        return critical_services(ctx)

    def failing(self, ctx, scope):
        return scope.exclude(service_documented(("procedure",)))
