from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import CRITICAL, LIVE_LIFECYCLES, AppAssets


def _runs_critical(ref: str) -> Exists:
    return Exists(AppAssets.objects.filter(
        asset_id=OuterRef(ref), application__services__criticality__gte=CRITICAL,
        application__services__lifecycle__in=LIVE_LIFECYCLES))


@register
class EndOfLifeAssetUnderCriticalService(Rule):
    id = "CON-005"
    domain = "continuity"
    severity = "high"
    object_type = "asset"
    title = _("Machine past its end of life under a critical service")
    rationale = _("Hardware or an operating system past its end of life fails more and is no longer repaired "
                  "or patched; a critical service running on it inherits the risk.")
    remediation = _("Replace or migrate the machine, or move the service's applications elsewhere.")
    evidence = {"kind": "kind", "end_of_life": "end_of_life", "operating_system": "operating_system"}
    local = False  # a host is judged through its guests

    def scope(self, ctx):
        # The machine itself runs an application of a critical service, or hosts a VM that does.
        guests = ctx.objects("asset").filter(_runs_critical("pk")).exclude(host__isnull=True).values("host_id")
        return ctx.objects("asset").filter(Q(_runs_critical("pk")) | Q(pk__in=guests))

    def failing(self, ctx, scope):
        return scope.filter(end_of_life__lt=ctx.as_of)
