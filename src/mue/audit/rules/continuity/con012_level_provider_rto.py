from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.continuity._levels import LevelFeasibilityRule
from mue.catalogue.feasibility import Check


@register
class RtoBelowProviderRestore(LevelFeasibilityRule):
    id = "CON-012"
    domain = "continuity"
    severity = "high"
    check = Check.PROVIDER_RTO
    title = _("RTO promised shorter than the provider's restore time")
    rationale = _("The provider's contract allows it more time to restore the service than the business unit was "
                  "promised: after a major incident the promised RTO will be missed by contract.")
    remediation = _("Align the promised RTO with the provider's commitment, or negotiate a shorter restore time, or "
                    "plan a degraded mode covering the gap.")

    def promised(self, ctx):
        return ctx.objects("service_level").filter(
            Q(rto_hours__isnull=False) | Q(rto_hours__isnull=True, service__rto_hours__isnull=False))
