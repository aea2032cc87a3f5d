from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.gdpr._record import HAS_RECORD, IN_RECORD


@register
class RetentionWithoutPurge(Rule):
    id = "DAT-105"
    domain = "data-protection"
    severity = "medium"
    object_type = "retention_rule"
    title = _("Retention period with no purge procedure documented")
    rationale = _("A retention period is kept only if someone deletes or archives the data when it ends: "
                  "without a documented purge procedure, data are kept beyond it (GDPR art. 5.1.e).")
    remediation = _("Describe how, when and by whom the data are purged or archived (purge procedure), or link "
                    "the procedure document.")
    evidence = {"activity": "activity__slug", "data": "data__slug", "retention_months": "retention_months"}
    requires = (HAS_RECORD,)

    def scope(self, ctx):
        return ctx.objects("retention_rule").filter(activity__status__in=IN_RECORD)

    def failing(self, ctx, scope):
        return scope.filter(purge_procedure="", purge_document__isnull=True)
