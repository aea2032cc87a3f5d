from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import critical_services
from mue.audit.rules.requirements import SKILLS


@register
class CriticalServiceWithoutSkills(Rule):
    """A critical service declares the levels it needs (skill requirements) and nobody reaches all of them."""

    id = "SKL-001"
    domain = "skills"
    severity = "high"
    object_type = "service"
    title = _("Critical service whose team has no one at the required skill level")
    rationale = _("A critical service that nobody in its team masters at the required level depends on outside "
                  "help for every incident.")
    remediation = _("Train at least two people of the team to the required level (DigComp / Pix), or plan "
                    "outside support with a contract.")
    evidence = {"criticality": "criticality", "competent": "competent"}
    requires = (SKILLS,)
    # Assessments and requirements are not register links of the service: a change of either
    # re-evaluates the whole rule (few critical services).
    local = False

    def scope(self, ctx):
        from mue.skills.models import Requirement

        return critical_services(ctx).filter(pk__in=Requirement.objects.filter(
            workspace=ctx.workspace, service__isnull=False).values("service_id"))

    def failing(self, ctx, scope):
        from mue.skills.analysis import with_bus_factor

        return with_bus_factor(scope).filter(competent=0)
