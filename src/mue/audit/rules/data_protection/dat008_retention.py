from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import PERSONAL


@register
class PersonalDataWithoutRetention(Rule):
    id = "DAT-008"
    domain = "data-protection"
    severity = "medium"
    object_type = "data_category"
    title = _("Personal data category without a retention period")
    rationale = _("GDPR art. 5(1)(e): personal data are kept no longer than necessary; the record of "
                  "processing must state how long (art. 30).")
    remediation = _("Set the retention period (in months, or the rule: \"until the end of schooling + 1 year\"), "
                    "from the archiving rules applicable to the organization.")
    evidence = {"personal_data": "personal_data", "data_subjects": "data_subjects"}

    def scope(self, ctx):
        return ctx.objects("data_category").filter(personal_data__in=PERSONAL)

    def failing(self, ctx, scope):
        return scope.filter(retention_months__isnull=True, retention_note="")
