from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import in_live_service


@register
class RetiredApplicationInService(Rule):
    id = "USE-005"
    domain = "usage"
    severity = "medium"
    object_type = "application"
    title = _("Retired application still used by a service")
    rationale = _("The register says the application is retired but a live service still rests on it: either "
                  "the register is wrong or the service rests on something nobody maintains.")
    remediation = _("Update the service's applications, or the application's status.")
    evidence = {"end_of_support": "end_of_support"}

    def scope(self, ctx):
        return ctx.objects("application").filter(status="retired")

    def failing(self, ctx, scope):
        return scope.filter(in_live_service())
