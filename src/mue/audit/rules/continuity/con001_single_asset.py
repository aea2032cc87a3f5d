from django.db.models import Count, Min
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import critical_services


@register
class CriticalServiceOnSingleAsset(Rule):
    id = "CON-001"
    domain = "continuity"
    severity = "high"
    object_type = "service"
    title = _("Critical service resting on a single machine")
    rationale = _("When every application of a critical service runs on one machine (or on virtual machines of "
                  "one host), the failure of that machine stops the service: a single point of failure.")
    remediation = _("Add redundancy (a second host, a replica, a tested restore onto spare hardware) or move the "
                    "service to a platform that provides it; record the alternative in the register.")
    evidence = {"criticality": "criticality", "machines": "n_machines", "machine": "a_machine"}
    related = {"application": ("applications",), "asset": ("applications__assets", "applications__assets__host")}

    def scope(self, ctx):
        # A virtual machine counts as its host: two VMs on one host are still one machine.
        machine = Coalesce("applications__assets__host_id", "applications__assets__id")
        return (critical_services(ctx).annotate(n_machines=Count(machine, distinct=True))
                .filter(n_machines__gte=1))

    def failing(self, ctx, scope):
        return scope.filter(n_machines=1).annotate(
            a_machine=Min(Coalesce("applications__assets__host__slug", "applications__assets__slug")))
