from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.gdpr._record import HAS_RECORD, ActivityApps, record


def _retired():
    return ActivityApps.objects.filter(processingactivity_id=OuterRef("pk"), application__status="retired")


@register
class ActivityOnRetiredApplication(Rule):
    id = "DAT-107"
    domain = "data-protection"
    severity = "medium"
    object_type = "processing_activity"
    title = _("Processing activity resting on a retired application")
    rationale = _("The record says the activity runs on an application the map says is retired: either the "
                  "record is out of date, or personal data still sit in a system nobody maintains.")
    remediation = _("Update the activity's applications to those in use, and check that the retired "
                    "application's data were migrated or purged.")
    evidence = {"application": "an_app"}
    requires = (HAS_RECORD,)

    def scope(self, ctx):
        return record(ctx).filter(Exists(ActivityApps.objects.filter(processingactivity_id=OuterRef("pk"))))

    def failing(self, ctx, scope):
        return scope.filter(Exists(_retired())).annotate(
            an_app=Subquery(_retired().order_by("application__slug").values("application__slug")[:1]))
