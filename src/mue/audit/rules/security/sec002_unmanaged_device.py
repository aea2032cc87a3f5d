from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import IN_USE_STATUSES, AppAssets, FlowData, data_q
from mue.infrastructure.models import Asset

DEVICE_KINDS = ("workstation", "mobile", "other")


@register
class UnmanagedDeviceReachingConfidentialData(Rule):
    id = "SEC-002"
    domain = "security"
    severity = "high"
    object_type = "asset"
    title = _("Unmanaged or personal device reaching confidential data")
    rationale = _("A device IT does not manage (no updates, no encryption, no remote wipe), or a personal one "
                  "(BYOD), that reaches confidential data takes them wherever it goes and leaks them when lost.")
    remediation = _("Bring the device under management (enrolment, disk encryption, lock, remote wipe) or cut its "
                    "access to confidential data; set a BYOD policy.")
    evidence = {"kind": "kind", "managed": "managed", "personal_device": "personal_device",
                "mdm_enrolled": "mdm_enrolled", "owner": "owner__slug"}

    def scope(self, ctx):
        confidential = data_q(confidential=True)
        app_confidential = data_q("application__data__", confidential=True)
        runs = Exists(AppAssets.objects.filter(app_confidential, asset_id=OuterRef("pk"),
                                               application__status__in=IN_USE_STATUSES))
        sends = Exists(FlowData.objects.filter(confidential, dataflow__source_asset_id=OuterRef("pk")))
        receives = Exists(FlowData.objects.filter(confidential, dataflow__target_asset_id=OuterRef("pk")))
        # What a personal device reaches is often recorded on it (mail, files) rather than as flows.
        reaches = Exists(Asset.data_reached.through.objects.filter(confidential, asset_id=OuterRef("pk")))
        devices = ctx.objects("asset").filter(Q(kind__in=DEVICE_KINDS) | Q(personal_device=True))
        return devices.filter(Q(runs) | Q(sends) | Q(receives) | Q(reaches))

    def failing(self, ctx, scope):
        # A personal device is acceptable once enrolled (work profile, remote wipe); any other device
        # must be managed by IT.
        return scope.filter(Q(personal_device=True, mdm_enrolled=False) | Q(personal_device=False, managed=False))
