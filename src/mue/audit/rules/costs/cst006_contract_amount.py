from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.vendors.models import CostLine


@register
class ContractWithoutAmount(Rule):
    id = "CST-006"
    domain = "costs"
    severity = "low"
    object_type = "contract"
    title = _("Current contract with no known amount")
    rationale = _("Total cost per service and per user cannot be known while current contracts have no amount "
                  "and no cost line.")
    remediation = _("Record the contract's annual amount, or its cost lines.")
    evidence = {"vendor": "vendor__slug", "end": "end"}

    def scope(self, ctx):
        return ctx.objects("contract").filter(Q(end__isnull=True) | Q(end__gte=ctx.as_of) | Q(tacit_renewal=True))

    def failing(self, ctx, scope):
        return scope.filter(annual_amount__isnull=True).exclude(
            Exists(CostLine.objects.filter(contract_id=OuterRef("pk"))))
