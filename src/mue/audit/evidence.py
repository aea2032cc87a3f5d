"""A finding's evidence in words: each key labelled by the field its rule read it from."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from mue.core.registry import registry

#: Evidence keys that are not fields of the judged type (annotations, values derived by a rule).
KNOWN = {
    "answer": gettext_lazy("Answer"), "answered_by": gettext_lazy("Answered by"),
    "answered_on": gettext_lazy("Answered on"), "note": gettext_lazy("Note"),
    "waiver_expired": gettext_lazy("Waiver expired on"), "active_users": gettext_lazy("Active users"),
    "amount_this_year": gettext_lazy("Spent this year"), "application": gettext_lazy("Application"),
    "category": gettext_lazy("Category"), "country": gettext_lazy("Country"),
    "dependency": gettext_lazy("Dependency"), "from": pgettext_lazy("flow end", "From"),
    "to": pgettext_lazy("flow end", "To"), "last_used_month": gettext_lazy("Last month of use"),
    "machine": gettext_lazy("Machine"), "machines": gettext_lazy("Machines"), "service": gettext_lazy("Service"),
    "service_users": gettext_lazy("Users of the service"), "transfer_zone": gettext_lazy("Transfer zone"),
    "notice_deadline": gettext_lazy("Notice deadline"),
}


@cache
def _field(object_type: str, path: str):
    """The model field at the end of an evidence path (``owner__name``), or None (an annotation)."""
    try:
        model = registry.by_singular(object_type).model
    except KeyError:
        return None
    field = None
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        model = field.related_model if field.is_relation else None
        if model is None:
            break
    return field


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]  # str.capitalize() would lower "DMIA"


def _label(rule: Any, key: str) -> str:
    path = getattr(rule, "evidence", {}).get(key) if rule is not None else None
    field = _field(rule.object_type, path) if path else None
    if field is not None and path.count("__") == 0 and not field.is_relation:
        return _first_upper(str(field.verbose_name))
    if field is not None and path.count("__") == 1 and path.endswith(("__name", "__slug")):
        relation = _field(rule.object_type, path.split("__")[0])
        if relation is not None:
            return _first_upper(str(relation.verbose_name))
    own = _field(rule.object_type, key) if rule is not None else None  # a key named after a field
    if own is not None:
        return _first_upper(str(own.verbose_name))
    return _first_upper(str(KNOWN.get(key) or key.replace("_", " ")))


def _value(rule: Any, key: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    path = getattr(rule, "evidence", {}).get(key) if rule is not None else None
    field = _field(rule.object_type, path) if path else None
    if field is not None and field.choices:
        choices = dict(field.flatchoices)
        if isinstance(value, list):
            return ", ".join(str(choices.get(v, v)) for v in value)
        return str(choices.get(value, value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def evidence_rows(rule: Any, evidence: dict) -> list[tuple[str, str]]:
    """(label, value) pairs of what made the rule fire, the waiver left out (shown on its own)."""
    return [(_label(rule, key), _value(rule, key, value)) for key, value in evidence.items() if key != "waiver"]
