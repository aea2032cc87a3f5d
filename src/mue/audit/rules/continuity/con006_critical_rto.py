from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import critical_services


@register
class CriticalServiceWithoutRto(Rule):
    id = "CON-006"
    domain = "continuity"
    severity = "medium"
    object_type = "service"
    title = _("Critical service without a stated recovery time")
    rationale = _("Without a maximum tolerable outage (RTO) nobody can say whether backups, contracts and "
                  "support hours are enough for the service.")
    remediation = _("Agree the RTO (and RPO) of the service with its business owner and record them.")
    evidence = {"criticality": "criticality", "availability_need": "need_availability"}

    def scope(self, ctx):
        return critical_services(ctx)

    def failing(self, ctx, scope):
        return scope.filter(rto_hours__isnull=True)
