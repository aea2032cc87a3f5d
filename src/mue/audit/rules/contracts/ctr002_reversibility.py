from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import apps_in_use, first_critical_service, in_critical_service
from mue.vendors.models import Contract


@register
class CriticalSaasWithoutReversibility(Rule):
    id = "CTR-002"
    domain = "contracts"
    severity = "high"
    object_type = "application"
    title = _("Critical SaaS without a reversibility clause")
    rationale = _("Leaving a SaaS that a critical service rests on needs the data back in a usable format and "
                  "the vendor's help for the transition; without a reversibility clause the vendor decides.")
    remediation = _("Negotiate a reversibility clause (export formats, delays, assistance, deletion afterwards) "
                    "and record it on the contract; test an export.")
    evidence = {"vendor": "vendor__slug", "service": "critical_service"}

    def scope(self, ctx):
        return apps_in_use(ctx).filter(kind="saas").filter(in_critical_service())

    def failing(self, ctx, scope):
        covered = Contract.applications.through.objects.filter(application_id=OuterRef("pk"),
                                                               contract__reversibility_clause=True)
        return scope.exclude(Exists(covered)).annotate(critical_service=first_critical_service())
