from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule


@register
class IotOnSharedNetwork(Rule):
    id = "SEC-004"
    domain = "security"
    severity = "low"
    object_type = "asset"
    title = _("Connected object not isolated on a network segment of its own")
    rationale = _("A compromised connected object on the office network reaches every workstation and server; "
                  "a dedicated segment (VLAN), filtered from the rest, contains it.")
    remediation = _("Put connected objects on their own network segment, filter it from the office network and "
                    "the servers, and record both.")
    evidence = {"site": "site__slug", "update_policy": "update_policy", "network_segment": "network_segment",
                "segment_isolated": "segment_isolated"}

    def scope(self, ctx):
        return ctx.objects("asset").filter(kind="iot-device")

    def failing(self, ctx, scope):
        # No segment recorded, or one recorded as not filtered; an unstated isolation is not judged.
        return scope.filter(Q(network_segment="") | Q(segment_isolated=False))
