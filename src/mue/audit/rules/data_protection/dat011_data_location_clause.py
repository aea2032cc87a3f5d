from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import IN_USE_STATUSES, PERSONAL
from mue.vendors.models import Contract


@register
class ContractWithoutDataLocationClause(Rule):
    id = "DAT-011"
    domain = "data-protection"
    severity = "medium"
    object_type = "contract"
    title = _("Contract for an application holding personal data without a data location clause")
    rationale = _("Without a clause fixing where data are hosted, a vendor may move personal data (and their "
                  "backups) to another country without telling.")
    remediation = _("Negotiate a data location clause (EU hosting, list of sub-processors and their countries) at "
                    "the next renewal and record it.")
    evidence = {"vendor": "vendor__slug", "end": "end"}
    related = {"application": ("applications",), "data_category": ("applications__data",), "party": ("vendor",)}

    def scope(self, ctx):
        covers = Contract.applications.through.objects.filter(
            contract_id=OuterRef("pk"), application__status__in=IN_USE_STATUSES,
            application__data__personal_data__in=PERSONAL)
        return ctx.objects("contract").filter(Exists(covers))

    def failing(self, ctx, scope):
        return scope.exclude(data_location_clause=True)
