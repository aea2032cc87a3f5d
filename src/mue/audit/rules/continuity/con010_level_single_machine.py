from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.continuity._levels import LevelFeasibilityRule
from mue.catalogue.feasibility import SINGLE_MACHINE_LIMIT, Check


@register
class LevelOnSingleMachine(LevelFeasibilityRule):
    id = "CON-010"
    domain = "continuity"
    severity = "high"
    check = Check.SINGLE_MACHINE
    title = _("Availability promised that a single machine cannot deliver")
    rationale = _("A service promised available more than 99.5 % of its hours rests on one machine whose failure alone "
                  "stops it: one breakdown and its repair use up years of the promised downtime.")
    remediation = _("Add redundancy under the service (a second host, a replica, a cluster) or promise what one machine"
                    " can deliver; the breach names the machine and the path to it.")

    def promised(self, ctx):
        return ctx.objects("service_level").filter(availability_target__gt=SINGLE_MACHINE_LIMIT)
