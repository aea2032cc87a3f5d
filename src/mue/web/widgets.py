"""Widgets of the register's forms and filters: references chosen by autocomplete inside the workspace.

A select of references renders only the options that are selected (a workspace may hold 10,000
applications); the site's script (``static/web/mue.js``) turns it into a searchable select that asks
the type's autocomplete URL, which answers through the same permission gate as the pages.
"""

from __future__ import annotations

from typing import Any

from django import forms


def slug_choices(queryset):
    """``choices_for(slugs)`` of a reference widget: the chosen objects of ``queryset`` as (slug, label)."""

    def choices_for(slugs: list[str]) -> list[tuple[str, str]]:
        rows = queryset.filter(slug__in=slugs).values_list("slug", "name")
        return [(slug, f"{name} ({slug})") for slug, name in rows]

    return choices_for


class AutocompleteMixin:
    """Renders only the chosen options; ``choices_for(values)`` gives their (value, label) pairs."""

    def __init__(self, url: str, choices_for, attrs: dict | None = None) -> None:
        attrs = {"data-mue-autocomplete": url, "class": "form-select", **(attrs or {})}
        super().__init__(attrs=attrs)
        self.choices_for = choices_for

    def optgroups(self, name: str, value: list[Any], attrs: dict | None = None):
        values = [v for v in value if v not in (None, "")]
        self.choices = list(self.choices_for(values)) if values else []
        if not self.allow_multiple_selected:
            self.choices = [("", "—"), *self.choices]
        return super().optgroups(name, value, attrs)


class AutocompleteSelect(AutocompleteMixin, forms.Select):
    pass


class AutocompleteSelectMultiple(AutocompleteMixin, forms.SelectMultiple):
    pass


def label_widgets(form: forms.Form) -> None:
    """Give every widget its field's label as ``aria-label`` as well: the site's script replaces selects
    with searchable ones (which take over the ``<label for>``), and a range widget's two inputs have no
    label of their own ("from"/"to" are added)."""
    from django.utils.translation import gettext as _

    for field in form.fields.values():
        label = str(field.label or "")
        widget = field.widget
        if isinstance(widget, forms.MultiWidget):
            for sub, part in zip(widget.widgets, (_("from"), _("to")), strict=False):
                sub.attrs["aria-label"] = _("%(label)s, %(part)s") % {"label": label, "part": part}
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs["aria-label"] = label
