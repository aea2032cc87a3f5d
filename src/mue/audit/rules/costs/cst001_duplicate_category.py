from django.db.models import Count
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
