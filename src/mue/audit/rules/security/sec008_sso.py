from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import app_holds, apps_in_use, data_q


@register
class ConfidentialDataWithoutSso(Rule):
    id = "SEC-008"
    domain = "security"
    severity = "low"
    object_type = "application"
    title = _("Application holding confidential data without single sign-on")
    rationale = _("Without single sign-on, accounts of people who leave stay open in each application; access "
                  "to confidential data outlives the job.")
    remediation = _("Connect the application to the organization's identity provider, or keep a leavers' "
                    "checklist that includes it.")
    evidence = {"kind": "kind", "sso": "sso"}

    def scope(self, ctx):
        return apps_in_use(ctx).exclude(kind="desktop").filter(app_holds(ctx, data_q(confidential=True)))

    def failing(self, ctx, scope):
        return scope.exclude(sso=True)
