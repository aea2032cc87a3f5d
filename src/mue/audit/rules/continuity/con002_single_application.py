from django.db.models import Count, Min, Q
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import SANCTIONED_STATUSES, critical_services


@register
class CriticalServiceOnSingleApplication(Rule):
    id = "CON-002"
    domain = "continuity"
    severity = "medium"
    object_type = "service"
    title = _("Critical service resting on a single application with no alternative")
    rationale = _("A critical service that depends on one application, with no other sanctioned application of "
                  "the same category to fall back on, stops with it (outage, vendor failure, end of contract).")
    remediation = _("Identify a fallback (another application of the category, a degraded manual procedure) and "
                    "record it; for SaaS, check the vendor's continuity commitments.")
    evidence = {"criticality": "criticality", "application": "the_app", "category": "the_category"}

    def scope(self, ctx):
        return critical_services(ctx).annotate(n_apps=Count("applications", distinct=True)).filter(n_apps__gte=1)

    def failing(self, ctx, scope):
        # The sole application has an alternative when another sanctioned application shares its
        # category: the category counts two sanctioned applications, or one while the sole application
        # is not itself sanctioned. Grouped category counts, evaluated once (non-correlated subqueries).
        per_category = (ctx.objects("application").filter(status__in=SANCTIONED_STATUSES).exclude(category="")
                        .order_by().values("category").annotate(n=Count("pk")))
        two = per_category.filter(n__gte=2).values("category")
        one = per_category.values("category")
        single = scope.filter(n_apps=1).annotate(the_app=Min("applications__slug"),
                                                  the_category=Min("applications__category"),
                                                  the_status=Min("applications__status"))
        sanctioned = Q(the_status__in=SANCTIONED_STATUSES)
        has_alternative = (sanctioned & Q(the_category__in=two)) | (~sanctioned & Q(the_category__in=one))
        return single.exclude(has_alternative)
