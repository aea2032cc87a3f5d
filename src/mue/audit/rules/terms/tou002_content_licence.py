from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule


@register
class ContentLicenceExpiredOrUnknown(Rule):
    id = "TOU-002"
    domain = "terms"
    severity = "medium"
    object_type = "content_licence"
    title = _("Third-party content with an expired or unknown licence")
    rationale = _("Photos, fonts, maps or texts used without a valid licence expose the organization to claims "
                  "from the rights holder.")
    remediation = _("Find the licence (or buy one, or replace the content with free-licensed content) and record "
                    "it with its expiry.")
    evidence = {"licence": "licence", "expires": "expires", "holder": "holder"}

    def scope(self, ctx):
        return ctx.objects("content_licence")

    def failing(self, ctx, scope):
        return scope.filter(Q(licence="") | Q(expires__lt=ctx.as_of))
