"""Shared shape of the rules on flows carrying personal data."""

from django.db.models import Q

from mue.audit.rules.base import Rule
from mue.audit.rules.common import FlowData, first_data, flow_carries, flow_endpoint


class UnencryptedFlowRule(Rule):
    """Flows carrying some kind of personal data that are not known to be encrypted in transit."""

    object_type = "flow"
    personal: tuple[str, ...] = ()
    evidence = {"from": "flow_from", "to": "flow_to", "protocol": "protocol", "encrypted": "encrypted",
                "data": "a_data"}
    related = {"application": ("source_application", "target_application"), "unit": ("source_unit", "target_unit"),
               "party": ("source_party", "target_party"), "asset": ("source_asset", "target_asset"),
               "data_category": ("data",)}

    def condition(self) -> Q:
        return Q(datacategory__personal_data__in=self.personal)

    def scope(self, ctx):
        # Paper and removable media are judged elsewhere; encryption in transit is about networks.
        return ctx.objects("flow").filter(flow_carries(ctx, self.condition())).exclude(protocol__in=("paper", "usb"))

    def failing(self, ctx, scope):
        # Unknown (null) counts as failing: nothing shows the data is protected.
        return scope.exclude(encrypted=True).annotate(
            flow_from=flow_endpoint("source"), flow_to=flow_endpoint("target"),
            a_data=first_data(self.condition(), FlowData, "dataflow_id"))
