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


def _attrs_html(attrs: dict[str, Any]) -> str:
    """``django/forms/widgets/attrs.html`` in Python: False leaves an attribute out, True writes its name."""
    from django.utils.html import escape

    return "".join(f" {name}" if value is True else f' {name}="{escape(value)}"'
                   for name, value in attrs.items() if value is not False and value is not None)


class PythonSelectMixin:
    """Renders a select with Python instead of the template engine: Django includes one template per
    option, and the list pages' filters (a category select has ~100 options) spent a fifth of the
    page's time there. The HTML is the one of Django's ``select.html`` and ``select_option.html``."""

    def _render(self, template_name: str, context: dict, renderer=None):
        from django.utils.html import conditional_escape, escape
        from django.utils.safestring import mark_safe

        if template_name != "django/forms/widgets/select.html":
            return super()._render(template_name, context, renderer)
        widget = context["widget"]
        out = [f'<select name="{escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                out.append(f'<optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                out.append(f'<option value="{escape(option["value"])}"{_attrs_html(option["attrs"])}>'
                           f'{conditional_escape(option["label"])}</option>')
            if group_name:
                out.append("</optgroup>")
        out.append("</select>")
        return mark_safe("\n".join(out))


class Select(PythonSelectMixin, forms.Select):
    pass


class SelectMultiple(PythonSelectMixin, forms.SelectMultiple):
    pass


class NullBooleanSelect(PythonSelectMixin, forms.NullBooleanSelect):
    pass


class AutocompleteSelect(AutocompleteMixin, Select):
    pass


class AutocompleteSelectMultiple(AutocompleteMixin, SelectMultiple):
    pass
