from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule


@register
class TacitRenewalWithoutNotice(Rule):
    id = "CTR-005"
    domain = "contracts"
    severity = "low"
    object_type = "contract"
    title = _("Tacit renewal without a known end date or notice period")
    rationale = _("The renewal calendar cannot warn before a notice deadline it cannot compute.")
    remediation = _("Record the contract's end date and notice period from the signed contract.")
    evidence = {"vendor": "vendor__slug", "end": "end", "notice_days": "notice_days"}

    def scope(self, ctx):
        return ctx.objects("contract").filter(tacit_renewal=True)

    def failing(self, ctx, scope):
        from django.db.models import Q

        return scope.filter(Q(end__isnull=True) | Q(notice_days__isnull=True))
