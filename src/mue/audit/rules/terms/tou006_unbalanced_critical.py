from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import CRITICAL, LIVE_LIFECYCLES, ServiceApps
from mue.audit.rules.terms._reviews import latest_review
from mue.documents.models import TermsReview


@register
class UnbalancedTermsUnderCriticalService(Rule):
    id = "TOU-006"
    domain = "terms"
    severity = "high"
    object_type = "terms"
    title = _("Unbalanced or unacceptable terms of use under a critical service")
    rationale = _("A critical service resting on terms the organization judged unbalanced (the vendor may change "
                  "them at will, limits its liability to nothing, keeps rights on the data, offers no export) "
                  "leaves the service at the vendor's mercy.")
    remediation = _("Negotiate a contract that overrides the terms (data, reversibility, liability), or plan to move "
                    "the service to a provider with balanced terms; record the decision in a new review.")
    evidence = {"verdict": "review_verdict", "reviewed_on": "review_date", "application": "application__slug",
                "service": "critical_service"}
    related = {"application": ("application",), "service": ("service",)}

    def scope(self, ctx):
        critical = Q(service__criticality__gte=CRITICAL, service__lifecycle__in=LIVE_LIFECYCLES)
        via_app = Exists(ServiceApps.objects.filter(application_id=OuterRef("application_id"),
                                                    service__criticality__gte=CRITICAL,
                                                    service__lifecycle__in=LIVE_LIFECYCLES))
        concluded = Exists(TermsReview.objects.filter(terms_id=OuterRef("pk")).exclude(verdict=""))
        return (ctx.objects("terms").filter(direction="consumed", kind="terms")
                .filter(critical | Q(via_app)).filter(concluded))

    def failing(self, ctx, scope):
        from django.db.models import Subquery
        from django.db.models.functions import Coalesce

        first_app_service = Subquery(
            ServiceApps.objects.filter(application_id=OuterRef("application_id"), service__criticality__gte=CRITICAL,
                                       service__lifecycle__in=LIVE_LIFECYCLES)
            .order_by("-service__criticality", "service__slug").values("service__slug")[:1])
        own = Subquery(ctx.objects("service").filter(pk=OuterRef("service_id"), criticality__gte=CRITICAL)
                       .values("slug")[:1])
        return (scope.annotate(review_verdict=latest_review("verdict", concluded=True),
                               review_date=latest_review("reviewed_on", concluded=True),
                               critical_service=Coalesce(own, first_app_service))
                .filter(review_verdict__in=("unbalanced", "unacceptable")))
