from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import IN_USE_STATUSES, PERSONAL, AppAssets, outside_safe_countries
from mue.core.countries import transfer_zone


def _personal_apps():
    return AppAssets.objects.filter(asset_id=OuterRef("pk"), application__status__in=IN_USE_STATUSES,
                                    application__data__personal_data__in=PERSONAL)


@register
class PersonalDataOnMachineOutsideEu(Rule):
    id = "DAT-004"
    domain = "data-protection"
    severity = "high"
    object_type = "asset"
    title = _("Machine outside the EU and adequacy countries running an application with personal data")
    rationale = _("A cloud resource or server hosted in a third country moves the personal data its "
                  "applications hold there, whatever the application's own record says.")
    remediation = _("Move the resource to an EU region, or document the transfer safeguards.")
    evidence = {"country": "country", "provider": "provider__slug", "application": "an_app"}

    def scope(self, ctx):
        return ctx.objects("asset").filter(Exists(_personal_apps())).exclude(country="")

    def failing(self, ctx, scope):
        return scope.filter(outside_safe_countries("country")).annotate(
            an_app=Subquery(_personal_apps().order_by("application__slug").values("application__slug")[:1]))

    def enrich(self, evidence, ctx):
        evidence["transfer_zone"] = transfer_zone(evidence.get("country"))
        return evidence
