"""Demo workspaces shipped with Mue, loaded by ``mue demo`` and ``make run``.

- ``valmont``: Commune de Valmont, a fictional French commune of ~15,000 inhabitants, in French,
  with the problems an audit must find planted in it (listed in ``docs/demo.md``);
- ``atelier``: a small English-speaking SME followed by a digital advisor.

The files are written as of :data:`REFERENCE_DATE`. So that a demo never looks stale (contracts long
expired, every document "not reviewed for years"), :func:`load_demo` moves every date of the file by
the number of days between that reference date and today before importing it: a notice deadline
written "30 days after the reference date" is always 30 days ahead of the day the demo is loaded.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from mue.core.registry import ObjectType, registry
from mue.interchange.importer import ImportReport, import_document
from mue.interchange.sources import load_structured

DEMO_DIR = Path(__file__).resolve().parent
DEMOS = {"valmont": DEMO_DIR / "valmont.yaml", "atelier": DEMO_DIR / "atelier.yaml"}

#: The day the demo files are written as of ("today" inside the YAML).
REFERENCE_DATE = dt.date(2026, 11, 1)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

#: Integer fields holding a calendar year (cost lines): moved by whole years with the reference date.
_YEAR_KEYS = {"costs": ("year",)}


def today() -> dt.date:
    """The day the demo is loaded (a function of its own so tests can pretend another day)."""
    return timezone.localdate()


def shift_dates(document: dict[str, Any], days: int, types: Iterable[ObjectType] | None = None) -> dict[str, Any]:
    """Move every date of a parsed map document by ``days``, in place; return the document.

    Which keys are dates comes from the registry (map fields backed by a ``DateField``, including
    group members), so a date field added to a model later is shifted without touching this code.
    Cost-line years move by as many years as the reference date moves. Values that are not
    ISO dates are left alone: the import then reports them with their line, as for any file.
    ``types`` defaults to every type of the registry.
    """
    if not days:
        return document
    year_delta = (REFERENCE_DATE + dt.timedelta(days=days)).year - REFERENCE_DATE.year
    for otype in registry if types is None else types:
        items = document.get(otype.key)
        if not isinstance(items, list):
            continue
        date_keys, group_dates = _date_keys(otype)
        year_keys = _YEAR_KEYS.get(otype.key, ())
        for item in items:
            if not isinstance(item, dict):
                continue
            for key in date_keys:
                if key in item:
                    item[key] = _shift(item[key], days)
            for group, members in group_dates.items():
                values = item.get(group)
                if isinstance(values, dict):
                    for key in members:
                        if key in values:
                            values[key] = _shift(values[key], days)
            for key in year_keys:
                if isinstance(item.get(key), int) and not isinstance(item.get(key), bool):
                    item[key] += year_delta
    return document


def _date_keys(otype: ObjectType) -> tuple[list[str], dict[str, list[str]]]:
    """The date keys of a type: top-level ones, and those inside groups (group key -> member keys)."""
    top = [f.key for f in otype.fields if f.kind == "value" and isinstance(f.field, models.DateField)
           and not isinstance(f.field, models.DateTimeField)]
    groups = {f.key: [m.key for m in f.members if m.kind == "value" and isinstance(m.field, models.DateField)
                      and not isinstance(m.field, models.DateTimeField)]
              for f in otype.fields if f.kind == "group"}
    return top, {k: v for k, v in groups.items() if v}


def _shift(value: Any, days: int) -> Any:
    # Only plain YYYY-MM-DD moves; anything else stays as written so the import reports it verbatim.
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return value
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return (day + dt.timedelta(days=days)).isoformat()


def load_demo(name: str, replace: bool = False) -> ImportReport:
    """Import a demo workspace with its dates moved to today (idempotent within a day).

    ``replace`` deletes the workspace first. Loading again on the same day changes nothing and
    logs nothing; on a later day only the moved dates are updated.
    """
    from mue.core.models import Workspace

    path = DEMOS[name]
    document, locate = load_structured(path.read_bytes(), path.name, "yaml")
    shift_dates(document, (today() - REFERENCE_DATE).days)
    # One transaction: a replace whose import fails leaves the old workspace in place.
    with transaction.atomic():
        if replace:
            Workspace.objects.filter(slug=name).delete()
        return import_document(document, source=path.name, locate=locate, actor="demo", channel="demo")
