"""Assessed and required DigComp levels, as register types (pages, API, import and export derived)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mue.core.models import RegisterObject
from mue.skills.digcomp import competence_choices, level_choices


class AssessedBy(models.TextChoices):
    SELF = "self", _("self-assessment")
    MANAGER = "manager", _("manager")
    ADVISOR = "advisor", _("advisor")


class Assessment(RegisterObject):
    """One person's current level in one DigComp competence (earlier levels stay in the change log)."""

    person = models.ForeignKey("organization.Person", on_delete=models.CASCADE, related_name="skill_assessments",
                               verbose_name=_("person"))
    competence = models.CharField(_("competence"), max_length=4, choices=competence_choices())
    level = models.PositiveSmallIntegerField(_("level"), choices=level_choices(),
                                             help_text=_("DigComp proficiency level, 1 (foundation) to 8 "
                                                         "(highly specialised)."))
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.CharField(_("assessed by"), max_length=10, choices=AssessedBy.choices,
                                   default=AssessedBy.SELF)
    assessor = models.ForeignKey("organization.Person", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="skill_assessments_given", verbose_name=_("assessor"),
                                 help_text=_("Who set the level, when it is not the person."))

    class Meta(RegisterObject.Meta):
        verbose_name = _("skill assessment")
        verbose_name_plural = _("skill assessments")
        constraints = [
            *RegisterObject.Meta.constraints,
            models.UniqueConstraint(fields=["person", "competence"], name="skills_assessment_one_per_competence"),
        ]

    class Map:
        key = "skill_assessments"
        singular = "skill_assessment"
        order = 25
        # Slug and name derived from these when an item leaves them out ("julien-moreau-4-1").
        identity = ("person", "competence")


class Requirement(RegisterObject):
    """The level a service needs of the people who run it, or a role of its holders."""

    service = models.ForeignKey("services.Service", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="skill_requirements", verbose_name=_("service"))
    role = models.CharField(_("role"), max_length=200, blank=True,
                            help_text=_("People whose role is this one (as written on the person) need the level."))
    competence = models.CharField(_("competence"), max_length=4, choices=competence_choices())
    level = models.PositiveSmallIntegerField(_("required level"), choices=level_choices())

    class Meta(RegisterObject.Meta):
        verbose_name = _("skill requirement")
        verbose_name_plural = _("skill requirements")

    class Map:
        key = "skill_requirements"
        singular = "skill_requirement"
        order = 55
        identity = ("service", "role", "competence")

        @staticmethod
        def check(item: dict) -> list[tuple[str, str]]:
            """A new requirement is for a service or for a role: one of them must be named."""
            if item.get("service") or (isinstance(item.get("role"), str) and item["role"].strip()):
                return []
            return [("service", str(_("name a service or a role (people holding it) that needs the level")))]
