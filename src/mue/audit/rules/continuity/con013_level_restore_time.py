from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.continuity._levels import LevelFeasibilityRule
from mue.catalogue.feasibility import Check


@register
class RtoBelowRestoreTest(LevelFeasibilityRule):
    id = "CON-013"
    domain = "continuity"
    severity = "high"
    check = Check.RESTORE_TIME
    title = _("RTO promised shorter than the restore actually takes")
    rationale = _("The latest restore test (or the backup-restore document) of the service or of what it rests on "
                  "states a restore time longer than the promised RTO: the promise has already been shown not to hold.")
    remediation = _("Speed up the restore (a replica, a spare machine, a shorter procedure) and test again, or promise "
                    "the RTO the test showed.")

    def promised(self, ctx):
        return ctx.objects("service_level").filter(
            Q(rto_hours__isnull=False) | Q(rto_hours__isnull=True, service__rto_hours__isnull=False))
