from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import in_live_service
from mue.audit.rules.requirements import recent_month
from mue.usage.models import UsageObservation


@register
class BannedApplicationInUse(Rule):
    id = "USE-004"
    domain = "usage"
    severity = "high"
    object_type = "application"
    title = _("Banned application still in use")
    rationale = _("A banned tool that a service still relies on, or that people still use, keeps the risk that "
                  "got it banned.")
    remediation = _("Move the service and its users to the replacement, block the tool, and check again.")
    evidence = {"vendor": "vendor__slug"}

    def scope(self, ctx):
        return ctx.objects("application").filter(status="banned")

    def failing(self, ctx, scope):
        observed = Exists(UsageObservation.objects.filter(
            application_id=OuterRef("pk"), active_users__gt=0, month__gte=recent_month(ctx), month__lte=ctx.as_of))
        return scope.filter(Q(in_live_service()) | Q(observed))
