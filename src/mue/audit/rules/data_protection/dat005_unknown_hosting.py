from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import app_holds, apps_in_use, data_q, first_data


@register
class PersonalDataHostingUnknown(Rule):
    id = "DAT-005"
    domain = "data-protection"
    severity = "medium"
    object_type = "application"
    title = _("SaaS holding personal data in an unknown country")
    rationale = _("Whether a transfer outside the EU happens cannot be assessed while the hosting country of a "
                  "SaaS holding personal data is unknown.")
    remediation = _("Ask the vendor where the data is hosted (and its sub-processors) and record the country.")
    evidence = {"vendor": "vendor__slug", "data": "a_data"}

    def scope(self, ctx):
        return apps_in_use(ctx).filter(kind="saas").filter(app_holds(ctx, data_q()))

    def failing(self, ctx, scope):
        return scope.filter(hosting_country="").annotate(a_data=first_data(data_q()))
