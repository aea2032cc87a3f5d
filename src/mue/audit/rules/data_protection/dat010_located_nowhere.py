from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import PERSONAL, AppData, FlowData


@register
class PersonalDataLocatedNowhere(Rule):
    id = "DAT-010"
    domain = "data-protection"
    severity = "low"
    object_type = "data_category"
    title = _("Personal data category held by no application and carried by no flow")
    rationale = _("A category of personal data nobody can locate cannot be protected, answered for (access "
                  "requests) or deleted at the end of its retention.")
    remediation = _("Record the applications that hold the data and the flows that carry it, or remove the "
                    "category if it no longer exists.")
    evidence = {"personal_data": "personal_data"}

    def scope(self, ctx):
        return ctx.objects("data_category").filter(personal_data__in=PERSONAL)

    def failing(self, ctx, scope):
        held = Exists(AppData.objects.filter(datacategory_id=OuterRef("pk")))
        carried = Exists(FlowData.objects.filter(datacategory_id=OuterRef("pk")))
        return scope.exclude(held).exclude(carried)
