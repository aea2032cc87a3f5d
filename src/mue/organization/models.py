"""Who: organization units (a tree) and people."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mue.core.models import RegisterObject


class Unit(RegisterObject):
    """An organization unit: a direction, a department, a team (business unit or IT)."""

    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children", verbose_name=_("parent unit")
    )
    is_it = models.BooleanField(_("IT unit"), default=False, help_text=_("The unit runs the information system."))

    class Meta(RegisterObject.Meta):
        verbose_name = _("organization unit")
        verbose_name_plural = _("organization units")

    class Map:
        key = "units"
        order = 10


class Person(RegisterObject):
    """A person of the organization or outside it (an advisor, a vendor's contact, an elected official)."""

    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="people", verbose_name=_("unit")
    )
    role = models.CharField(pgettext_lazy("person", "role"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    external = models.BooleanField(_("external"), default=False)

    class Meta(RegisterObject.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("people")

    class Map:
        key = "people"
        order = 20
