"""DPIA screening: the nine WP248 criteria and the processing types that always require a DPIA.

The list of types (``dpia_list.yaml``) is shipped data with its sources noted in the file: the three
cases of GDPR art. 35(3) and the CNIL's list (délibération n° 2018-327).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import CombinedExpression
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mue.gdpr.choices import WP248_CRITERIA, WP248_THRESHOLD

_FILE = Path(__file__).with_name("dpia_list.yaml")

#: The criteria's labels, in the guidelines' order (WP248 rev.01, III.B.a).
CRITERIA_LABELS = {
    "evaluation": _("Evaluation or scoring (profiling, predicting)"),
    "automated_decision": _("Automated decision with legal or similar significant effect"),
    "monitoring": _("Systematic monitoring"),
    "sensitive": _("Sensitive or highly personal data"),
    "large_scale": _("Data processed on a large scale"),
    "matching": _("Matching or combining datasets"),
    "vulnerable": _("Data concerning vulnerable data subjects (children, employees, patients...)"),
    "innovative": _("Innovative use or new technology"),
    "prevents_right": _("Prevents data subjects from exercising a right or using a service or contract"),
}


@cache
def required_types() -> dict[str, dict[str, str]]:
    """Type slug -> {"fr", "en", "source"}, in file order."""
    with _FILE.open(encoding="utf-8") as fh:
        return {item["slug"]: item for item in yaml.safe_load(fh)}


def required_type_label(slug: str) -> str:
    lang = "fr" if (get_language() or "fr").startswith("fr") else "en"
    item = required_types().get(slug)
    return item[lang] if item else slug


_lazy_label = lazy(required_type_label, str)


def required_type_choices() -> list[tuple[str, str]]:
    return [(slug, _lazy_label(slug)) for slug in required_types()]


@dataclass(frozen=True)
class Screening:
    """The DPIA screening of one activity."""

    criteria: tuple[str, ...]  # keys of WP248_CRITERIA met
    required_type: str  # a type of the shipped list, or ""

    @property
    def count(self) -> int:
        return len(self.criteria)

    @property
    def likely_required(self) -> bool:
        """Two criteria or more, or a type always requiring one."""
        return self.count >= WP248_THRESHOLD or bool(self.required_type)


def screen(activity) -> Screening:
    met = tuple(key for key, attr in WP248_CRITERIA.items() if getattr(activity, attr))
    return Screening(criteria=met, required_type=activity.dpia_required_type)


def criteria_count() -> CombinedExpression:
    """SQL: the number of WP248 criteria an activity meets (for rules and lists, no Python loop)."""
    terms = [Case(When(**{attr: True}, then=Value(1)), default=Value(0), output_field=IntegerField())
             for attr in WP248_CRITERIA.values()]
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def likely_required_q() -> Q:
    """On a queryset annotated with ``wp248_count=criteria_count()``: a DPIA is likely required."""
    return Q(wp248_count__gte=WP248_THRESHOLD) | ~Q(dpia_required_type="")
