from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import critical_services, general_document, service_documented


@register
class CriticalServiceWithoutContinuityPlan(Rule):
    id = "CON-007"
    domain = "continuity"
    severity = "medium"
    object_type = "service"
    title = _("Critical service outside any continuity plan")
    rationale = _("A continuity or recovery plan says what is restored first and how the organization works "
                  "meanwhile; a critical service it does not cover is restored by improvisation.")
    remediation = _("Cover the service in the continuity / recovery plan (a plan with no linked object covers "
                    "the whole organization) and link the plan to it.")
    evidence = {"criticality": "criticality", "rto_hours": "rto_hours"}

    def scope(self, ctx):
        return critical_services(ctx)

    def failing(self, ctx, scope):
        # An organization-wide plan (linked to no object) covers every service.
        return scope.exclude(general_document(ctx, ("continuity-plan",))).exclude(
            service_documented(("continuity-plan",)))
