from django.db.models import Exists, F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import SANCTIONED_STATUSES, apps_in_use
from mue.audit.rules.requirements import USAGE, recent_month
from mue.usage.models import UsageObservation


@register
class SeatsAboveUse(Rule):
    id = "CST-002"
    domain = "costs"
    severity = "medium"
    object_type = "application"
    title = _("Licences paid above 120% of active users")
    rationale = _("Seats paid for people who do not use the tool are the easiest saving; 20% of margin covers "
                  "arrivals and absences.")
    remediation = _("Reduce the number of seats at the next renewal to the active users plus a margin, or "
                    "reassign the unused ones.")
    evidence = {"seats": "seats", "active_users": "active"}
    requires = (USAGE,)

    def scope(self, ctx):
        observed = Exists(UsageObservation.objects.filter(application_id=OuterRef("pk")))
        return apps_in_use(ctx, SANCTIONED_STATUSES).filter(seats__gt=0).filter(observed)

    def failing(self, ctx, scope):
        # Peak monthly active users over the recent window (any source).
        peak = (UsageObservation.objects.filter(application_id=OuterRef("pk"), month__gte=recent_month(ctx),
                                                month__lte=ctx.as_of)
                .values("application_id").annotate(m=Max("active_users")).values("m"))
        # seats > 1.2 × active  <=>  5 × seats > 6 × active, in integers on every backend.
        return (scope.annotate(active=Coalesce(Subquery(peak), 0))
                .filter(seats__gt=0).alias(five_seats=F("seats") * 5, six_active=F("active") * 6)
                .filter(five_seats__gt=F("six_active")))
