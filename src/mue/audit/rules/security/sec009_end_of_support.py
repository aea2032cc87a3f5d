from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import apps_in_use


@register
class ApplicationPastEndOfSupport(Rule):
    id = "SEC-009"
    domain = "security"
    severity = "medium"
    object_type = "application"
    title = _("Application past its end of support")
    rationale = _("Software past its end of support receives no security fixes; its vulnerabilities stay open.")
    remediation = _("Upgrade to a supported version or replace the application.")
    evidence = {"end_of_support": "end_of_support", "version": "version", "vendor": "vendor__slug"}

    def scope(self, ctx):
        return apps_in_use(ctx).filter(end_of_support__isnull=False)

    def failing(self, ctx, scope):
        return scope.filter(end_of_support__lt=ctx.as_of)
