"""The form creating a client workspace from a starter template."""

from __future__ import annotations

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from mue.accounts.forms import StyledForm
from mue.core.models import SLUG_PATTERN, Workspace
from mue.dashboard.starters import STARTERS


class NewWorkspaceForm(StyledForm):
    template = forms.ChoiceField(label=_("Kind of organization"), choices=list(STARTERS.items()),
                                 help_text=_("Its usual units, services, processes and data categories are "
                                             "created; complete and adjust them afterwards."))
    language = forms.ChoiceField(label=_("Language of the register"), choices=[("fr", "Français"), ("en", "English")])
    name = forms.CharField(label=_("Name of the organization"), max_length=200)
    slug = forms.RegexField(label=_("Short name (slug)"), regex=SLUG_PATTERN, max_length=100, required=False,
                            help_text=_("Lower-case letters, digits and dashes, used in addresses; made from the "
                                        "name when left empty."),
                            error_messages={"invalid": _("Lower-case letters, digits, dots, dashes and underscores, "
                                                         "starting and ending with a letter or digit.")})
    population = forms.IntegerField(label=_("Population"), min_value=1, required=False,
                                    help_text=_("For a municipality or an inter-municipal body."))
    contact_email = forms.EmailField(label=_("Email of the client's contact"),
                                     help_text=_("Invited as the workspace's owner: they will decide who else may "
                                                 "read or edit it. You become its auditor, allowed to edit."))

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        slug = data.get("slug") or slugify(data.get("name", ""))[:100].strip("-_.")
        if not slug:
            self.add_error("slug", _("Choose a short name: none can be made from this name."))
        elif Workspace.objects.filter(slug=slug).exists():
            self.add_error("slug", _("A workspace already has this short name: choose another one."))
        data["slug"] = slug
        return data
