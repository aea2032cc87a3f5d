"""The assessment form: one level per DigComp competence, grouped by area (empty: not assessed)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mue.skills.digcomp import Competence, framework, level_choices


def field_name(code: str) -> str:
    return "c" + code.replace(".", "_")


class AssessmentForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("not assessed")), *level_choices()]
        for competence in framework().competences:
            self.fields[field_name(competence.code)] = forms.TypedChoiceField(
                label=str(competence.title), choices=choices, coerce=int, empty_value=None, required=False,
                help_text=str(competence.text))

    def levels(self) -> dict[str, int | None]:
        """Competence code -> the level chosen (None: not assessed)."""
        return {c.code: self.cleaned_data.get(field_name(c.code)) for c in framework().competences}

    def by_area(self) -> list[tuple[str, list[tuple[Competence, forms.BoundField]]]]:
        return [(f"{area.code}. {area.title}", [(c, self[field_name(c.code)]) for c in area.competences])
                for area in framework().areas]
