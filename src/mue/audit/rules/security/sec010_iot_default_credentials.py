from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule


@register
class IotDefaultCredentials(Rule):
    id = "SEC-010"
    domain = "security"
    severity = "high"
    object_type = "asset"
    title = _("Connected object whose default credentials are not known to be changed")
    rationale = _("Factory passwords of cameras, sensors and controllers are published in their manuals and tried "
                  "first by every botnet; an object still using them is taken over in minutes.")
    remediation = _("Change the factory password and accounts of every object (a unique one per object, kept in the "
                    "password vault) and record it; replace objects where they cannot be changed.")
    evidence = {"default_credentials_changed": "default_credentials_changed", "provider": "provider__slug",
                "site": "site__slug"}

    def scope(self, ctx):
        return ctx.objects("asset").filter(kind="iot-device")

    def failing(self, ctx, scope):
        # Unknown counts as not changed: nobody checked is how default passwords survive.
        return scope.filter(Q(default_credentials_changed__isnull=True) | Q(default_credentials_changed=False))
