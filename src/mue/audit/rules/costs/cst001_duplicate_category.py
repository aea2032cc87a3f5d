from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule


@register
class DuplicateCategory(Rule):
    id = "CST-001"
    domain = "costs"
    severity = "low"
    object_type = "application"
    title = _("Two approved applications in one category")
    rationale = _("Two sanctioned tools doing the same job (two video-conferencing tools, two file shares) cost "
                  "twice, split the data and the users' habits: sobriety means one per need.")
    remediation = _("Choose one tool per category, plan the migration of the other's users and data, then retire "
                    "it; if both are needed, record why.")
    evidence = {"category": "category"}
    local = False  # the verdict depends on the other applications of the category

    def scope(self, ctx):
        return ctx.objects("application").filter(status="approved").exclude(category="")

    def failing(self, ctx, scope):
        # Categories with two approved applications or more (one grouped, non-correlated subquery).
        shared = (scope.order_by().values("category").annotate(n=Count("pk")).filter(n__gte=2)
                  .values("category"))
        return scope.filter(category__in=shared)

    def reach(self, ctx, object_type, ids, before):
        """A changed application reaches the approved applications of its category now and before.

        Its category before is known when it failed (the evidence names it); when it was in scope and
        passed, it was the only approved application of that category, and leaving it changes nobody.
        """
        if object_type != self.object_type:
            return None
        earlier = {f.evidence.get("category") for f in before if f.object_id in ids}
        now = ctx.objects("application").filter(pk__in=ids).exclude(category="").values("category")
        return [Q(pk__in=ids), Q(category__in=now), Q(category__in=sorted(c for c in earlier if c))]
