from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.continuity._levels import LevelFeasibilityRule
from mue.catalogue.feasibility import Check


@register
class LevelOnVendorWithoutContract(LevelFeasibilityRule):
    id = "CON-015"
    domain = "continuity"
    severity = "medium"
    check = Check.NO_CONTRACT
    title = _("Service level resting on a vendor without contract")
    rationale = _("IT promises a level for a service resting on a SaaS whose vendor has no contract with the "
                  "organization: nothing binds the vendor to any level, so the promise rests on goodwill.")
    remediation = _("Sign a contract with the vendor (with its service levels), or stop promising a level for what it "
                    "provides.")

    def promised(self, ctx):
        return ctx.objects("service_level").filter(pk__isnull=False)
