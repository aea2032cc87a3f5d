from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import SANCTIONED_STATUSES
from mue.vendors.models import Contract

Covers = Contract.applications.through


@register
class EndedContractActiveApplication(Rule):
    id = "CTR-003"
    domain = "contracts"
    severity = "medium"
    object_type = "contract"
    title = _("Contract ended while its application is still in use")
    rationale = _("An application used past the end of its contract runs without support, warranty or data "
                  "protection commitments, and sometimes without a licence.")
    remediation = _("Renew or replace the contract, or retire the application; record the new contract.")
    evidence = {"vendor": "vendor__slug", "end": "end", "application": "an_app"}
    local = False  # another contract covering the application changes the verdict

    def scope(self, ctx):
        # Tacitly renewed contracts go on past their end date.
        return ctx.objects("contract").filter(end__lt=ctx.as_of, tacit_renewal=False)

    def failing(self, ctx, scope):
        current = Q(contract__end__isnull=True) | Q(contract__end__gte=ctx.as_of) | Q(contract__tacit_renewal=True)
        # An application this contract covers, in use, and covered by no current contract.
        uncovered = Covers.objects.filter(contract_id=OuterRef("pk"), application__status__in=SANCTIONED_STATUSES)
        uncovered = uncovered.exclude(application_id__in=Covers.objects.filter(current).values("application_id"))
        return scope.filter(Exists(uncovered)).annotate(
            an_app=Subquery(uncovered.order_by("application__slug").values("application__slug")[:1]))
