from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import SANCTIONED_STATUSES, apps_in_use
from mue.audit.rules.requirements import USAGE, recent_month
from mue.usage.models import UsageObservation


@register
class ApplicationNotUsed(Rule):
    id = "USE-002"
    domain = "usage"
    severity = "low"
    object_type = "application"
    title = _("Application with no observed use for 90 days")
    rationale = _("An application nobody has used for three months still costs licences, attention and attack "
                  "surface: digital sobriety starts by switching off what is not used.")
    remediation = _("Check with the owner whether it is still needed; retire it (export the data first) or record "
                    "why it is kept.")
    evidence = {"last_used_month": "last_used", "seats": "seats"}
    requires = (USAGE,)

    def scope(self, ctx):
        # What the logs can see: SaaS, and anything that was observed at least once.
        observed = Exists(UsageObservation.objects.filter(application_id=OuterRef("pk")))
        return apps_in_use(ctx, SANCTIONED_STATUSES).filter(Q(kind="saas") | Q(observed))

    def failing(self, ctx, scope):
        used = UsageObservation.objects.filter(application_id=OuterRef("pk"), active_users__gt=0)
        last = used.values("application_id").annotate(m=Max("month")).values("m")
        return (scope.exclude(Exists(used.filter(month__gte=recent_month(ctx), month__lte=ctx.as_of)))
                .annotate(last_used=Subquery(last)))
