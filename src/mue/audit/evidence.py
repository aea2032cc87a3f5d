"""A finding's evidence in words: each key labelled by the field its rule read it from."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from mue.core.registry import registry


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
    known = {"answer": _("Answer"), "answered_by": _("Answered by"), "answered_on": _("Answered on"),
             "note": _("Note"), "waiver_expired": _("Waiver expired on")}
    return _first_upper(str(known.get(key) or key.replace("_", " ")))


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
