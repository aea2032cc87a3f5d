from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.gdpr._record import HAS_RECORD, record
from mue.gdpr.choices import DpiaStatus
from mue.gdpr.dpia import criteria_count, likely_required_q


@register
class DpiaMissing(Rule):
    id = "DAT-106"
    domain = "data-protection"
    severity = "high"
    object_type = "processing_activity"
    title = _("Processing activity meeting two or more WP248 criteria without a DPIA")
    rationale = _("Two criteria of the EDPB guidelines (WP248) or a type of the CNIL's list mean the "
                  "processing is likely to result in a high risk: a data protection impact assessment is "
                  "required before it starts (GDPR art. 35).")
    remediation = _("Carry out the DPIA (the CNIL's PIA tool helps) and record its status, date and document; "
                    "if you conclude none is needed, write down why.")
    evidence = {"criteria": "wp248_count", "required_type": "dpia_required_type", "dpia_status": "dpia_status"}
    requires = (HAS_RECORD,)

    def scope(self, ctx):
        return record(ctx).annotate(wp248_count=criteria_count()).filter(likely_required_q())

    def failing(self, ctx, scope):
        return scope.exclude(dpia_status=DpiaStatus.DONE)
