from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import PERSONAL


@register
class PersonalDataWithoutSubjects(Rule):
    id = "DAT-009"
    domain = "data-protection"
    severity = "low"
    object_type = "data_category"
    title = _("Personal data category without its data subjects")
    rationale = _("The record of processing names whose data it is (residents, pupils, agents); it also tells "
                  "who must be informed and how.")
    remediation = _("State the data subjects of the category.")
    evidence = {"personal_data": "personal_data"}

    def scope(self, ctx):
        return ctx.objects("data_category").filter(personal_data__in=PERSONAL)

    def failing(self, ctx, scope):
        return scope.filter(data_subjects="")
