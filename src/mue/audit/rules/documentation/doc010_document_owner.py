from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule


@register
class DocumentWithoutOwner(Rule):
    id = "DOC-010"
    domain = "documentation"
    severity = "low"
    object_type = "document"
    title = _("Document without an owner")
    rationale = _("A document nobody owns is never updated; the owner is who reviews it.")
    remediation = _("Name the person responsible for keeping the document up to date.")
    evidence = {"kind": "kind"}

    def scope(self, ctx):
        return ctx.objects("document")

    def failing(self, ctx, scope):
        return scope.filter(owner__isnull=True)
