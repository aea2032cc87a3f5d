"""The latest review of each terms of use, as subqueries a rule annotates with (no loop over terms)."""

from django.db.models import OuterRef, QuerySet, Subquery

from mue.documents.models import TermsReview


def latest_review(field: str, concluded: bool = False) -> Subquery:
    """``field`` of the most recent review of the terms at ``OuterRef("pk")`` (only concluded ones if asked)."""
    reviews: QuerySet = TermsReview.objects.filter(terms_id=OuterRef("pk"))
    if concluded:
        reviews = reviews.exclude(verdict="")
    return Subquery(reviews.order_by("-reviewed_on", "-pk").values(field)[:1])
