from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import live_services


@register
class BackupOwnerIsOwner(Rule):
    id = "DOC-005"
    domain = "documentation"
    severity = "medium"
    object_type = "service"
    title = _("Service whose backup owner is also its owner")
    rationale = _("A backup owner who is the owner is no backup: the pair exists only with two different people.")
    remediation = _("Choose as backup owner someone other than the business owner and the IT owner.")
    evidence = {"backup_owner": "backup_owner__slug", "business_owner": "business_owner__slug",
                "it_owner": "it_owner__slug"}

    def scope(self, ctx):
        return live_services(ctx).filter(backup_owner__isnull=False)

    def failing(self, ctx, scope):
        return scope.filter(Q(backup_owner=F("business_owner")) | Q(backup_owner=F("it_owner")))
