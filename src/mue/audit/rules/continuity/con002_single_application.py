from django.db.models import Count, Exists, Min, OuterRef
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
        apps = ctx.objects("application")
        alternative = Exists(apps.filter(status__in=SANCTIONED_STATUSES, category=OuterRef("category"))
                             .exclude(category="").exclude(pk=OuterRef("pk")))
        with_alternative = apps.filter(alternative).values("pk")
        return (scope.filter(n_apps=1).exclude(applications__in=with_alternative)
                .annotate(the_app=Min("applications__slug"), the_category=Min("applications__category")))
