from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule

SERVER_KINDS = ("server", "virtual-machine", "network-device", "storage")


@register
class UnmanagedServer(Rule):
    id = "SEC-007"
    domain = "security"
    severity = "high"
    object_type = "asset"
    title = _("Server or network device not managed by IT")
    rationale = _("A server or network device outside IT's management (inventory, updates, backups, "
                  "monitoring) is the forgotten machine attackers find first.")
    remediation = _("Bring the machine under IT's management or decommission it.")
    evidence = {"kind": "kind", "site": "site__slug", "owner": "owner__slug"}

    def scope(self, ctx):
        return ctx.objects("asset").filter(kind__in=SERVER_KINDS)

    def failing(self, ctx, scope):
        return scope.filter(managed=False)
