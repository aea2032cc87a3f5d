from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import IN_USE_STATUSES, PERSONAL, AppData, FlowData
from mue.vendors.models import Contract


def _apps_with_personal_data():
    return AppData.objects.filter(application__vendor_id=OuterRef("pk"), application__status__in=IN_USE_STATUSES,
                                  datacategory__personal_data__in=PERSONAL)


@register
class VendorWithoutDpa(Rule):
    id = "DAT-007"
    domain = "data-protection"
    severity = "high"
    object_type = "party"
    title = _("Vendor handling personal data without a data processing agreement")
    rationale = _("A processor handling personal data on the organization's behalf must be bound by a contract "
                  "meeting GDPR art. 28 (a DPA): instructions, security, sub-processors, deletion.")
    remediation = _("Sign the vendor's DPA (or add the art. 28 clauses to the contract) and record it on the "
                    "contract.")
    evidence = {"country": "country", "application": "an_app"}

    def scope(self, ctx):
        # Vendor of an application in use holding personal data, or recipient of a flow of personal data.
        receives = FlowData.objects.filter(dataflow__target_party_id=OuterRef("pk"),
                                           datacategory__personal_data__in=PERSONAL)
        # Only vendors act as processors: citizens, public bodies and partners receiving data do not sign a DPA.
        vendors = ctx.objects("party").filter(kind="vendor")
        return vendors.filter(Q(Exists(_apps_with_personal_data())) | Q(Exists(receives)))

    def failing(self, ctx, scope):
        signed = Contract.objects.filter(vendor_id=OuterRef("pk"), dpa_signed=True)
        return scope.exclude(Exists(signed)).annotate(
            an_app=Subquery(_apps_with_personal_data().order_by("application__slug")
                            .values("application__slug")[:1]))
