from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import apps_in_use
from mue.vendors.models import Contract


@register
class SaasWithoutContract(Rule):
    id = "CTR-004"
    domain = "contracts"
    severity = "medium"
    object_type = "application"
    title = _("Approved SaaS with no contract on record")
    rationale = _("Paid SaaS accepted by a click has a contract nobody has read: price changes, data use, "
                  "liability and exit are the vendor's terms.")
    remediation = _("Record the contract (or the accepted terms and order form) with its dates, amount and "
                    "clauses.")
    evidence = {"vendor": "vendor__slug", "licence_model": "licence_model"}

    def scope(self, ctx):
        # Free and open-source tools have terms of use, not contracts (terms domain).
        return (apps_in_use(ctx, ("approved",)).filter(kind="saas")
                .exclude(licence_model__in=("free", "open-source", "included")))

    def failing(self, ctx, scope):
        return scope.exclude(Exists(Contract.applications.through.objects.filter(application_id=OuterRef("pk"))))
