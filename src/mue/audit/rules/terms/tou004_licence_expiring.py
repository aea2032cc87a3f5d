import datetime as dt

from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule


@register
class ContentLicenceExpiringSoon(Rule):
    id = "TOU-004"
    domain = "terms"
    severity = "low"
    object_type = "content_licence"
    title = _("Third-party content licence expiring within 60 days")
    rationale = _("Content whose licence expires must be renewed or withdrawn in time.")
    remediation = _("Renew the licence or plan to replace the content before the expiry.")
    evidence = {"licence": "licence", "expires": "expires"}

    def scope(self, ctx):
        return ctx.objects("content_licence").filter(expires__gte=ctx.as_of)

    def failing(self, ctx, scope):
        return scope.filter(expires__lte=ctx.as_of + dt.timedelta(days=60))
