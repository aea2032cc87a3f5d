"""Form fields shared by every type's forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TagsField(forms.CharField):
    """Tags typed as "a, b, c" and stored as a list of distinct, trimmed strings."""

    def __init__(self, **kwargs):
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Separated by commas."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value) -> list[str]:
        if isinstance(value, list):
            return value
        tags: list[str] = []
        for part in (value or "").split(","):
            tag = part.strip()
            if tag and tag not in tags:
                tags.append(tag)
        return tags

    def has_changed(self, initial, data) -> bool:
        return list(initial or []) != self.to_python(data)
