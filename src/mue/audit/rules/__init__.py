"""The rule catalogue: every rule module under this package registers itself when imported.

``catalogue()`` imports all submodules once (auto-discovery: adding a rule is adding a module) and
returns the rules and questionnaire items sorted by id.
"""

from __future__ import annotations

import importlib
import pkgutil

from mue.audit.rules.base import AnyRule, Question, Rule, check_declaration

_RULES: dict[str, AnyRule] = {}
_discovered = False


def register(cls_or_question):
    """Class decorator for a :class:`Rule` subclass; also accepts a :class:`Question` instance."""
    rule = cls_or_question() if isinstance(cls_or_question, type) else cls_or_question
    check_declaration(rule)
    if rule.id in _RULES and type(_RULES[rule.id]) is not type(rule):
        raise ValueError(f"rule id {rule.id} declared twice")
    _RULES[rule.id] = rule
    return cls_or_question


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    for info in pkgutil.walk_packages(__path__, prefix=__name__ + "."):
        importlib.import_module(info.name)
    _discovered = True


def catalogue() -> list[AnyRule]:
    """Every rule and questionnaire item, sorted by id."""
    _discover()
    return [_RULES[key] for key in sorted(_RULES)]


def observed_rules() -> list[Rule]:
    return [r for r in catalogue() if isinstance(r, Rule)]


def questions() -> list[Question]:
    return [r for r in catalogue() if isinstance(r, Question)]


def get_rule(rule_id: str) -> AnyRule:
    _discover()
    return _RULES[rule_id.upper()]
