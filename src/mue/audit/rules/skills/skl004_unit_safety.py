from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.requirements import SKILLS

#: "Above level 3": intermediate 4 at least, where a person handles non-routine safety problems alone.
SAFETY_LEVEL = 4


@register
class UnitWithoutSafetySkills(Rule):
    """Among the units whose people were assessed, those where no one is above level 3 in DigComp area 4."""

    id = "SKL-004"
    domain = "skills"
    severity = "medium"
    object_type = "unit"
    title = _("Unit with no one above level 3 in digital safety")
    rationale = _("Nobody in the unit can handle a non-routine safety problem alone (a suspicious message, a "
                  "lost device, a personal data leak): DigComp area 4, Safety, level 4 or more.")
    remediation = _("Train at least one person of the unit in digital safety (protecting devices and personal "
                    "data) to level 4, and make them the unit's relay with IT.")
    evidence = {"assessed_people": "assessed_people"}
    requires = (SKILLS,)
    local = False

    def scope(self, ctx):
        from mue.skills.models import Assessment

        return ctx.objects("unit").filter(Exists(Assessment.objects.filter(
            person__unit=OuterRef("pk"), person__external=False)))

    def failing(self, ctx, scope):
        from django.db.models import Count, Q

        from mue.skills.digcomp import SAFETY_AREA
        from mue.skills.models import Assessment

        safe = Assessment.objects.filter(person__unit=OuterRef("pk"), person__external=False,
                                         competence__startswith=f"{SAFETY_AREA}.", level__gte=SAFETY_LEVEL)
        return scope.exclude(Exists(safe)).annotate(assessed_people=Count(
            "people", filter=Q(people__external=False, people__skill_assessments__isnull=False), distinct=True))
