from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import PERSONAL
from mue.audit.rules.gdpr._record import HAS_RECORD, IN_RECORD, ActivityData


@register
class PersonalDataNotInRecord(Rule):
    id = "DAT-102"
    domain = "data-protection"
    severity = "medium"
    object_type = "data_category"
    title = _("Personal data in the map covered by no processing activity")
    rationale = _("Every processing of personal data appears in the record (GDPR art. 30): personal data "
                  "the map shows held or exchanged, that no activity of the record names, are processed "
                  "without a stated purpose, legal basis or retention.")
    remediation = _("Add the data category to the activity that processes it, or record the missing activity "
                    "(mue gdpr suggest proposes activities from the map).")
    evidence = {"personal_data": "personal_data", "data_subjects": "data_subjects"}
    requires = (HAS_RECORD,)

    def scope(self, ctx):
        return ctx.objects("data_category").filter(personal_data__in=PERSONAL)

    def failing(self, ctx, scope):
        covered = ActivityData.objects.filter(datacategory_id=OuterRef("pk"),
                                              processingactivity__status__in=IN_RECORD)
        return scope.exclude(Exists(covered))
