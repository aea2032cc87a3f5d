from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import apps_in_use, first_critical_service, in_critical_service


@register
class EndOfSupportUnderCriticalService(Rule):
    id = "CON-004"
    domain = "continuity"
    severity = "high"
    object_type = "application"
    title = _("Software past its end of support under a critical service")
    rationale = _("Software no longer supported gets no security fixes and no help when it breaks; under a "
                  "critical service, that is an outage waiting to happen.")
    remediation = _("Plan the upgrade or the replacement of the software, or obtain extended support; meanwhile "
                    "isolate it and document the workaround.")
    evidence = {"end_of_support": "end_of_support", "version": "version", "service": "critical_service"}

    def scope(self, ctx):
        return apps_in_use(ctx).filter(in_critical_service())

    def failing(self, ctx, scope):
        return scope.filter(end_of_support__lt=ctx.as_of).annotate(critical_service=first_critical_service())
