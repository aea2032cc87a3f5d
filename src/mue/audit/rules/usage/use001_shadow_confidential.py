from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import app_holds, data_q, first_data


@register
class ShadowAppWithConfidentialData(Rule):
    id = "USE-001"
    domain = "usage"
    severity = "high"
    object_type = "application"
    title = _("Shadow application holding personal or confidential data")
    rationale = _("Personal or confidential data in a tool IT did not choose escapes every control: no "
                  "contract, no DPA, no backup, no account closing when people leave.")
    remediation = _("Move the data to a sanctioned tool, or assess the application and bring it under "
                    "management (contract, DPA, owner, status approved or tolerated).")
    evidence = {"vendor": "vendor__slug", "hosting_country": "hosting_country", "data": "a_data"}

    def scope(self, ctx):
        return ctx.objects("application").filter(status="shadow")

    def failing(self, ctx, scope):
        condition = data_q(confidential=True) | data_q()
        return scope.filter(app_holds(ctx, condition)).annotate(a_data=first_data(condition))
