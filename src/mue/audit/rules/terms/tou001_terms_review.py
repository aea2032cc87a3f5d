import datetime as dt

from django.db.models import Q
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import years_before
from mue.audit.rules.terms._reviews import latest_review


@register
class TermsNotReviewed(Rule):
    id = "TOU-001"
    domain = "terms"
    severity = "medium"
    object_type = "terms"
    title = _("Terms of use never reviewed or reviewed over 12 months ago")
    rationale = _("Terms of use change without notice (data reuse, AI training, price, liability); terms the "
                  "organization publishes must follow its services. Balanced terms need a yearly look.")
    remediation = _("Re-read the terms (what changed, is it still acceptable or accurate) and record the review "
                    "date and version.")
    evidence = {"direction": "direction", "last_reviewed": "reviewed_last", "application": "application__slug",
                "service": "service__slug"}

    related = {"application": ("application",), "service": ("service",)}

    def scope(self, ctx):
        return ctx.objects("terms")

    def failing(self, ctx, scope):
        limit: dt.date = years_before(ctx.as_of, 1)
        # The later of the date on the terms and the latest recorded review (Greatest of two
        # Coalesces: SQLite's MAX() is NULL when one side is, PostgreSQL's GREATEST() is not).
        review = latest_review("reviewed_on")
        last = Greatest(Coalesce("last_reviewed", review), Coalesce(review, "last_reviewed"))
        return scope.annotate(reviewed_last=last).filter(Q(reviewed_last__isnull=True) | Q(reviewed_last__lt=limit))
