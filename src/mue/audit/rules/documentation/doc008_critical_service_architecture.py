from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import critical_services, general_document, service_documented


@register
class CriticalServiceWithoutArchitecture(Rule):
    id = "DOC-008"
    domain = "documentation"
    severity = "low"
    object_type = "service"
    title = _("Critical service without an architecture document")
    rationale = _("Knowing what a critical service is made of (applications, servers, flows, accounts) is the "
                  "first step of any diagnosis, migration or hand-over.")
    remediation = _("Write or export an architecture description of the service and link it to the service, or "
                    "describe the whole information system in one document linked to no object.")
    evidence = {"criticality": "criticality"}

    def scope(self, ctx):
        return critical_services(ctx)

    def failing(self, ctx, scope):
        # An architecture of the whole information system (linked to no object) covers every service.
        return scope.exclude(general_document(ctx, ("architecture",))).exclude(service_documented(("architecture",)))
