from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule


@register
class IotWithoutUpdatePath(Rule):
    id = "SEC-003"
    domain = "security"
    severity = "medium"
    object_type = "asset"
    title = _("Connected object without an update path")
    rationale = _("Cameras, sensors and other connected objects are attacked for their old firmware; one that "
                  "nobody updates stays vulnerable for its whole life.")
    remediation = _("Find out how the object is updated (vendor, IT, automatic) and who does it; replace objects "
                    "that cannot be updated.")
    evidence = {"update_policy": "update_policy", "network_segment": "network_segment", "site": "site__slug"}

    def scope(self, ctx):
        return ctx.objects("asset").filter(kind="iot-device")

    def failing(self, ctx, scope):
        return scope.filter(update_policy__in=("", "none"))
