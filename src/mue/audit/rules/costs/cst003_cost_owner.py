from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule


@register
class CostLineWithoutOwner(Rule):
    id = "CST-003"
    domain = "costs"
    severity = "low"
    object_type = "cost"
    title = _("Cost line without an owner")
    rationale = _("A spending nobody answers for is renewed by default; the owner is who decides whether it is "
                  "still worth it.")
    remediation = _("Name the person who answers for the spending.")
    evidence = {"amount": "amount", "year": "year", "kind": "kind"}

    def scope(self, ctx):
        return ctx.objects("cost")

    def failing(self, ctx, scope):
        return scope.filter(owner__isnull=True)
