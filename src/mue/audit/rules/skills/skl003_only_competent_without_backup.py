from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import critical_services
from mue.audit.rules.requirements import SKILLS


@register
class OnlyCompetentPersonWithoutBackup(Rule):
    """One person reaches the levels a critical service requires, and no one else is named to take over."""

    id = "SKL-003"
    domain = "skills"
    severity = "critical"
    object_type = "service"
    title = _("Critical service whose only competent person has no backup")
    rationale = _("The only person at the required level carries the service alone: with no backup owner, "
                  "nobody is even designated to learn it before they leave.")
    remediation = _("Name a backup owner other than this person and train them to the required levels.")
    evidence = {"criticality": "criticality", "competent_person": "competent_person_slug",
                "backup_owner": "backup_owner__slug"}
    requires = (SKILLS,)
    local = False

    def scope(self, ctx):
        from mue.skills.analysis import with_bus_factor

        return with_bus_factor(critical_services(ctx)).filter(has_requirements=True, competent=1)

    def failing(self, ctx, scope):
        from mue.skills.analysis import only_competent_person

        return scope.annotate(competent_person=only_competent_person(),
                              competent_person_slug=only_competent_person("slug")).filter(
            Q(backup_owner__isnull=True) | Q(backup_owner=F("competent_person")))
