from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import app_holds, apps_in_use, data_q, first_data, outside_safe_countries
from mue.core.countries import transfer_zone


@register
class PersonalDataHostedOutsideEu(Rule):
    id = "DAT-003"
    domain = "data-protection"
    severity = "high"
    object_type = "application"
    title = _("Personal data hosted outside the EU and adequacy countries")
    rationale = _("Transferring personal data outside the EEA to a country without an adequacy decision needs "
                  "safeguards (GDPR chapter V: standard clauses, transfer impact assessment); for sensitive "
                  "data and public bodies, often a different host altogether.")
    remediation = _("Choose hosting in the EU, or document the transfer safeguards (SCCs, DPF certification of "
                    "the recipient) and the transfer impact assessment.")
    evidence = {"hosting_country": "hosting_country", "data": "a_data", "vendor": "vendor__slug"}

    def scope(self, ctx):
        return apps_in_use(ctx).filter(app_holds(ctx, data_q())).exclude(hosting_country="")

    def failing(self, ctx, scope):
        return scope.filter(outside_safe_countries("hosting_country")).annotate(a_data=first_data(data_q()))

    def enrich(self, evidence, ctx):
        evidence["transfer_zone"] = transfer_zone(evidence.get("hosting_country"))
        return evidence
