from django.db.models import Exists, OuterRef, Subquery, Sum
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.vendors.models import CostLine


@register
class PayingForRetiredApplication(Rule):
    id = "CST-005"
    domain = "costs"
    severity = "medium"
    object_type = "application"
    title = _("Retired or banned application still costing this year")
    rationale = _("Money still spent on a tool the organization no longer uses is pure waste; the subscription "
                  "often outlives the decision.")
    remediation = _("Cancel the subscription or licence and the support contract.")
    evidence = {"status": "status", "amount_this_year": "spent"}

    def scope(self, ctx):
        return ctx.objects("application").filter(status__in=("retired", "banned"))

    def failing(self, ctx, scope):
        lines = CostLine.objects.filter(application_id=OuterRef("pk"), year=ctx.as_of.year, amount__gt=0)
        spent = lines.values("application_id").annotate(total=Sum("amount")).values("total")
        return scope.filter(Exists(lines)).annotate(spent=Subquery(spent))

