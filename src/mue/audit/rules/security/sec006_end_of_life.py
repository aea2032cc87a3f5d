from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule


@register
class AssetPastEndOfLife(Rule):
    id = "SEC-006"
    domain = "security"
    severity = "medium"
    object_type = "asset"
    title = _("Machine past its end of life")
    rationale = _("Hardware or an operating system past its end of life gets no more security fixes.")
    remediation = _("Replace or upgrade the machine; until then isolate it and limit what it reaches.")
    evidence = {"kind": "kind", "end_of_life": "end_of_life", "operating_system": "operating_system"}

    def scope(self, ctx):
        return ctx.objects("asset").filter(end_of_life__isnull=False)

    def failing(self, ctx, scope):
        return scope.filter(end_of_life__lt=ctx.as_of)
