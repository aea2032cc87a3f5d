from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import critical_services
from mue.audit.rules.requirements import SKILLS


@register
class CriticalServiceBusFactorOne(Rule):
    """Bus factor of one: a single person knows how to run the critical service's applications.

    Counted from the assessments when the service declares skill requirements, else from the people
    named on it (IT owner, backup owner, owners of its applications); see :mod:`mue.skills.analysis`.
    Zero is left to SKL-001 (requirements nobody meets) and to the documentation rules (no one named).
    """

    id = "SKL-002"
    domain = "skills"
    severity = "high"
    object_type = "service"
    title = _("Critical service known by a single person (bus factor of one)")
    rationale = _("When the only person who knows a critical service is absent or leaves, nobody can run it, "
                  "repair it or hand it over.")
    remediation = _("Train a second person to the levels the service requires and hand them its documentation; "
                    "name them backup owner.")
    evidence = {"criticality": "criticality", "bus_factor": "bus_factor", "measured": "has_requirements"}
    requires = (SKILLS,)
    local = False

    def scope(self, ctx):
        return critical_services(ctx)

    def failing(self, ctx, scope):
        from mue.skills.analysis import with_bus_factor

        return with_bus_factor(scope).filter(bus_factor=1)
