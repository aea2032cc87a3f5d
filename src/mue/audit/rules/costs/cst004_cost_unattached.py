from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule


@register
class CostLineUnattached(Rule):
    id = "CST-004"
    domain = "costs"
    severity = "low"
    object_type = "cost"
    title = _("Cost line attached to no service, application, contract or unit")
    rationale = _("Spending that cannot be traced to what it pays for cannot be allocated to a service or a unit, "
                  "nor questioned.")
    remediation = _("Attach the cost line to the service, application or contract it pays for, or at least to "
                    "the unit that pays it.")
    evidence = {"amount": "amount", "year": "year", "kind": "kind"}

    def scope(self, ctx):
        return ctx.objects("cost")

    def failing(self, ctx, scope):
        # A unit's own costs (IT staff) are attached to the unit: allocated, if not to a service.
        return scope.filter(service__isnull=True, application__isnull=True, contract__isnull=True, unit__isnull=True)
