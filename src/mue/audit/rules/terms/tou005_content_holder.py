from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule


@register
class ContentWithoutHolder(Rule):
    id = "TOU-005"
    domain = "terms"
    severity = "low"
    object_type = "content_licence"
    title = _("Third-party content without its rights holder")
    rationale = _("Attribution (CC-BY) and any question about the content need the rights holder's name.")
    remediation = _("Record who holds the rights (author, agency, publisher).")
    evidence = {"licence": "licence"}

    def scope(self, ctx):
        return ctx.objects("content_licence")

    def failing(self, ctx, scope):
        return scope.filter(holder="")
