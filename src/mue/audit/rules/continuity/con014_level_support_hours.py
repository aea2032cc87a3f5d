from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.continuity._levels import LevelFeasibilityRule
from mue.catalogue.feasibility import Check


@register
class SupportHoursWiderThanTeam(LevelFeasibilityRule):
    id = "CON-014"
    domain = "continuity"
    severity = "medium"
    check = Check.SUPPORT_HOURS
    title = _("Support hours promised wider than the support team's")
    rationale = _("Support is promised in hours when neither the support team nor the provider's support answers: "
                  "incidents in those hours wait for the next working day.")
    remediation = _("Extend the team's hours (an on-call duty, an outsourced help desk) or promise the hours it "
                    "covers.")

    def promised(self, ctx):
        return ctx.objects("service_level").filter(support_hours__gt="")
