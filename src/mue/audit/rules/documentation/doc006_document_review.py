from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import years_before


@register
class DocumentNotReviewed(Rule):
    id = "DOC-006"
    domain = "documentation"
    severity = "low"
    object_type = "document"
    title = _("Document not reviewed for two years")
    rationale = _("A procedure or an architecture that was never re-read describes a system that no longer "
                  "exists; in a crisis an outdated document misleads.")
    remediation = _("Have the document's owner re-read and update it, then record the review date.")
    evidence = {"kind": "kind", "last_reviewed": "last_reviewed", "owner": "owner__slug"}

    def scope(self, ctx):
        # Contracts are reviewed through their own dates (contracts domain).
        return ctx.objects("document").exclude(kind="contract")

    def failing(self, ctx, scope):
        return scope.filter(Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=years_before(ctx.as_of, 2)))
