from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import flow_endpoint

CLEARTEXT = ("http", "ftp")


@register
class FlowOverCleartextProtocol(Rule):
    id = "SEC-005"
    domain = "security"
    severity = "medium"
    object_type = "flow"
    title = _("Flow over a clear-text protocol")
    rationale = _("HTTP and FTP carry passwords and content in clear text; anyone on the path can read or alter "
                  "them.")
    remediation = _("Switch to HTTPS, SFTP or FTPS, or tunnel the flow in a VPN and mark it encrypted.")
    evidence = {"from": "flow_from", "to": "flow_to", "protocol": "protocol"}
    related = {"application": ("source_application", "target_application"), "unit": ("source_unit", "target_unit"),
               "party": ("source_party", "target_party"), "asset": ("source_asset", "target_asset"),
               "data_category": ("data",)}

    def scope(self, ctx):
        return ctx.objects("flow").exclude(protocol="")

    def failing(self, ctx, scope):
        # Tunnelled in a VPN: the register says encrypted even though the protocol is clear text.
        return scope.filter(protocol__in=CLEARTEXT).exclude(encrypted=True).annotate(
            flow_from=flow_endpoint("source"), flow_to=flow_endpoint("target"))
