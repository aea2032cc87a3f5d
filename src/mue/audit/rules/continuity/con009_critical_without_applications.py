from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import ServiceApps, critical_services


@register
class CriticalServiceWithoutApplications(Rule):
    id = "CON-009"
    domain = "continuity"
    severity = "medium"
    object_type = "service"
    title = _("Critical service whose applications are unknown")
    rationale = _("Until the register says which applications a critical service rests on, nobody can tell "
                  "what stops it, what to restore first, or what a change will break.")
    remediation = _("List the applications (and through them the machines) the service rests on.")
    evidence = {"criticality": "criticality"}

    def scope(self, ctx):
        return critical_services(ctx)

    def failing(self, ctx, scope):
        return scope.exclude(Exists(ServiceApps.objects.filter(service_id=OuterRef("pk"))))
