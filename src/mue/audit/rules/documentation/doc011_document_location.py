from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule


@register
class DocumentWithoutLocation(Rule):
    id = "DOC-011"
    domain = "documentation"
    severity = "low"
    object_type = "document"
    title = _("Document with no link and no file")
    rationale = _("A document recorded without saying where it lives cannot be found when it is needed.")
    remediation = _("Give the link or the path on the share where the document is kept, or attach the file.")
    evidence = {"kind": "kind", "owner": "owner__slug"}

    def scope(self, ctx):
        return ctx.objects("document")

    def failing(self, ctx, scope):
        return scope.filter(url="", file="")
