from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import critical_services
from mue.audit.rules.requirements import SKILLS


@register
class CriticalServiceWithoutSkills(Rule):
    """Inactive until skills assessments exist in Mue (no skills model yet).

    The evaluation needs each service's required competence level and the assessed levels of the
    people of the units running it; both arrive with the skills module. Until then the requirement
    reports the rule as inactive with the reason, and the engine never calls :meth:`failing`.
    """

    id = "SKL-001"
    domain = "skills"
    severity = "high"
    object_type = "service"
    title = _("Critical service whose team has no one at the required skill level")
    rationale = _("A critical service that nobody in its team masters at the required level depends on outside "
                  "help for every incident.")
    remediation = _("Train at least two people of the team to the required level (DigComp / Pix), or plan "
                    "outside support with a contract.")
    evidence = {"criticality": "criticality"}
    requires = (SKILLS,)

    def scope(self, ctx):
        return critical_services(ctx)

    def failing(self, ctx, scope):
        raise RuntimeError("SKL-001 is evaluated once the skills module defines assessments (requirement 'skills')")
