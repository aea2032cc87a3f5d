from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import FlowData, data_q, first_data, flow_carries, flow_endpoint, outside_safe_countries
from mue.core.countries import transfer_zone


@register
class PersonalDataSentOutsideEu(Rule):
    id = "DAT-006"
    domain = "data-protection"
    severity = "high"
    object_type = "flow"
    title = _("Personal data sent to a party outside the EU and adequacy countries")
    rationale = _("A flow of personal data to an external party established in a third country is a transfer "
                  "under GDPR chapter V and needs safeguards.")
    remediation = _("Document the legal basis and safeguards of the transfer (SCCs, DPF), or stop the flow.")
    evidence = {"from": "flow_from", "to": "target_party__slug", "country": "target_party__country",
                "data": "a_data"}
    related = {"application": ("source_application", "target_application"), "unit": ("source_unit", "target_unit"),
               "party": ("source_party", "target_party"), "asset": ("source_asset", "target_asset"),
               "data_category": ("data",)}

    def scope(self, ctx):
        return (ctx.objects("flow").filter(target_party__isnull=False).exclude(target_party__country="")
                .filter(flow_carries(ctx, data_q())))

    def failing(self, ctx, scope):
        return scope.filter(outside_safe_countries("target_party__country")).annotate(
            flow_from=flow_endpoint("source"), a_data=first_data(data_q(), FlowData, "dataflow_id"))

    def enrich(self, evidence, ctx):
        evidence["transfer_zone"] = transfer_zone(evidence.get("country"))
        return evidence
