from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import live_services


@register
class ServiceWithoutBusinessOwner(Rule):
    id = "DOC-007"
    domain = "documentation"
    severity = "medium"
    object_type = "service"
    title = _("Service without a business owner")
    rationale = _("The business owner decides what the service must do, its criticality and its levels; "
                  "without one, IT decides alone or nobody does.")
    remediation = _("Name the business owner of the service in the unit it serves.")
    evidence = {"criticality": "criticality", "it_owner": "it_owner__slug"}

    def scope(self, ctx):
        return live_services(ctx)

    def failing(self, ctx, scope):
        return scope.filter(business_owner__isnull=True)
