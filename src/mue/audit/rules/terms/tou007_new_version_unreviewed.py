from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.terms._reviews import latest_review
from mue.documents.models import TermsReview


@register
class TermsChangedSinceReview(Rule):
    id = "TOU-007"
    domain = "terms"
    severity = "medium"
    object_type = "terms"
    title = _("Terms of use changed since their last review")
    rationale = _("A review judges one version of the terms; a new version may add rights on the data, move it "
                  "abroad or drop the export. What was accepted is no longer what applies.")
    remediation = _("Review the new version against the checklist and record it as a new review (the older one "
                    "stays as history).")
    evidence = {"version": "version", "version_date": "version_date", "reviewed_version": "reviewed_version",
                "reviewed_on": "reviewed_on_last"}

    def scope(self, ctx):
        # Terms never reviewed at all are TOU-001's; here, those with at least one review.
        return ctx.objects("terms").filter(Exists(TermsReview.objects.filter(terms_id=OuterRef("pk"))))

    def failing(self, ctx, scope):
        annotated = scope.annotate(reviewed_version=latest_review("terms_version"),
                                   reviewed_on_last=latest_review("reviewed_on"),
                                   reviewed_terms_date=latest_review("terms_date"))
        other_version = ~Q(version="") & ~Q(reviewed_version=F("version"))
        # A version date later than both the review and the date of the version it read: it came after.
        newer = (Q(version_date__isnull=False) & Q(version_date__gt=F("reviewed_on_last"))
                 & (Q(reviewed_terms_date__isnull=True) | Q(version_date__gt=F("reviewed_terms_date"))))
        return annotated.filter(other_version | newer)
