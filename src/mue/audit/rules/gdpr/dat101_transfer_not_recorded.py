from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.gdpr._record import HAS_RECORD, ActivityApps, record
from mue.core.countries import EEA
from mue.gdpr.models import Transfer


def _apps_outside_eu():
    """The activity's applications hosted outside the EU/EEA (an adequacy decision is still a transfer)."""
    return (ActivityApps.objects.filter(processingactivity_id=OuterRef("pk"))
            .annotate(country=Upper("application__hosting_country"))
            .exclude(country="").exclude(country__in=sorted(EEA)))


def _unrecorded():
    recorded = (Transfer.objects.filter(activity_id=OuterRef("processingactivity_id")).exclude(safeguard="")
                .annotate(cc=Upper("country")).filter(cc=OuterRef("country")))
    return _apps_outside_eu().exclude(Exists(recorded))


@register
class TransferNotRecorded(Rule):
    id = "DAT-101"
    domain = "data-protection"
    severity = "high"
    object_type = "processing_activity"
    title = _("Processing activity on an application hosted outside the EU with no recorded transfer")
    rationale = _("The map says the activity's data are hosted outside the EU/EEA, the record says nothing: "
                  "a transfer must be listed in the record with its safeguard (GDPR art. 30.1.e, chapter V).")
    remediation = _("Record the transfer on the activity (country, recipient, safeguard: adequacy decision, "
                    "standard contractual clauses, binding corporate rules or a derogation), or move the data "
                    "to a host in the EU.")
    evidence = {"application": "an_app", "hosting_country": "a_country"}
    requires = (HAS_RECORD,)

    def scope(self, ctx):
        return record(ctx).filter(Exists(_apps_outside_eu()))

    def failing(self, ctx, scope):
        first = _unrecorded().order_by("application__slug")
        return scope.filter(Exists(_unrecorded())).annotate(
            an_app=Subquery(first.values("application__slug")[:1]), a_country=Subquery(first.values("country")[:1]))
