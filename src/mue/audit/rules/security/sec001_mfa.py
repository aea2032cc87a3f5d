from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import app_holds, apps_in_use, data_q, first_data


@register
class PersonalDataWithoutMfa(Rule):
    id = "SEC-001"
    domain = "security"
    severity = "high"
    object_type = "application"
    title = _("Application holding personal data without multi-factor authentication")
    rationale = _("Stolen passwords are the first way in; an application holding personal data reachable with a "
                  "password alone exposes everyone whose data it holds.")
    remediation = _("Turn on multi-factor authentication (or single sign-on with MFA) for every account, "
                    "administrators first, and record it.")
    evidence = {"kind": "kind", "mfa": "mfa", "sso": "sso", "data": "a_data"}

    def scope(self, ctx):
        # Desktop software has no accounts of its own to protect this way.
        return apps_in_use(ctx).exclude(kind="desktop").filter(app_holds(ctx, data_q()))

    def failing(self, ctx, scope):
        return scope.exclude(mfa=True).annotate(a_data=first_data(data_q()))
