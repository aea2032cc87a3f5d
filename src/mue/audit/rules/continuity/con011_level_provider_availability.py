from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.continuity._levels import LevelFeasibilityRule
from mue.catalogue.feasibility import Check


@register
class LevelAboveProviderAvailability(LevelFeasibilityRule):
    id = "CON-011"
    domain = "continuity"
    severity = "high"
    check = Check.PROVIDER_AVAILABILITY
    title = _("Availability promised above what the provider promises")
    rationale = _("IT cannot promise a business unit more availability than the provider of an application the service "
                  "rests on promises IT: the contract is the ceiling of the promise.")
    remediation = _("Lower the promised availability to the provider's, or negotiate a higher level in the contract (or"
                    " choose another provider).")

    def promised(self, ctx):
        return ctx.objects("service_level").filter(availability_target__isnull=False)
