from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.gdpr._record import HAS_RECORD, record
from mue.vendors.models import Contract, ExternalParty


def _vendors_reached():
    """Vendors the activity's data reach: its applications' vendors, its external recipients, the targets
    of its flows (a party, or an application and so its vendor)."""
    activity = OuterRef("pk")
    return ExternalParty.objects.filter(kind="vendor").filter(
        Q(applications__processing_activities=activity) | Q(processing_received=activity)
        | Q(flows_as_target__processing_activities=activity)
        | Q(applications__flows_as_target__processing_activities=activity))


def _without_dpa():
    return _vendors_reached().exclude(Exists(Contract.objects.filter(vendor_id=OuterRef("pk"), dpa_signed=True)))


@register
class ActivityVendorWithoutDpa(Rule):
    id = "DAT-103"
    domain = "data-protection"
    severity = "high"
    object_type = "processing_activity"
    title = _("Processing activity whose data reach a vendor without a signed DPA")
    rationale = _("A vendor that receives or hosts an activity's personal data processes them on the "
                  "organization's behalf: a data processing agreement (GDPR art. 28) must bind it.")
    remediation = _("Sign the vendor's DPA or add the art. 28 clauses to its contract, and record it on the "
                    "contract (DPA signed).")
    evidence = {"vendor": "a_vendor"}
    requires = (HAS_RECORD,)

    def scope(self, ctx):
        return record(ctx).filter(Exists(_vendors_reached()))

    def failing(self, ctx, scope):
        return scope.filter(Exists(_without_dpa())).annotate(
            a_vendor=Subquery(_without_dpa().order_by("slug").values("slug")[:1]))
