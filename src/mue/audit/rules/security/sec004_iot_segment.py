from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule


@register
class IotOnSharedNetwork(Rule):
    id = "SEC-004"
    domain = "security"
    severity = "low"
    object_type = "asset"
    title = _("Connected object on no separate network segment")
    rationale = _("A compromised connected object on the office network reaches every workstation and server; "
                  "a dedicated segment (VLAN) contains it.")
    remediation = _("Put connected objects on their own network segment and record it.")
    evidence = {"site": "site__slug", "update_policy": "update_policy"}

    def scope(self, ctx):
        return ctx.objects("asset").filter(kind="iot-device")

    def failing(self, ctx, scope):
        return scope.filter(network_segment="")
