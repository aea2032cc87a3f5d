"""Field by field on the demo commune: a re-audit from the change log equals the full audit.

The re-audit skips a rule when the SQL it runs reads none of the columns a change wrote; this sweep
changes every field of one object of each type in turn (values, references, links) so a column the
narrowing overlooks shows as a difference with the full audit.
"""

import datetime as dt
import decimal

import pytest
from django.db import IntegrityError, models, transaction

from mue.audit.changes import changes_since
from mue.audit.engine import run_audit
from mue.audit.incremental import reaudit
from mue.core.changelog import snapshot_fields
from mue.core.models import ChangeLogEntry, Workspace
from mue.core.registry import registry
from mue.demo import load_demo
from tests.audit.test_incremental import _same

pytestmark = pytest.mark.django_db


def _other_values(obj: models.Model, field: models.Field) -> list:
    """Values different from the current one, to try in turn (a constraint may refuse the first)."""
    value = getattr(obj, field.attname)
    if field.is_relation:
        others = field.related_model.objects.filter(workspace_id=obj.workspace_id).exclude(pk=value)
        if field.related_model is type(obj):
            others = others.exclude(pk=obj.pk)
        other = others.values_list("pk", flat=True).first()
        return [None, other] if value is not None and field.null else [other]
    return [_other_value(obj, field, value)]


def _other_value(obj: models.Model, field: models.Field, value):
    """A valid value different from the current one, chosen to cross the rules' thresholds."""
    if field.choices:
        values = [v for v, _label in field.flatchoices if v != value]
        return values[len(values) // 2] if values else value
    if isinstance(field, models.BooleanField):
        return {None: True, True: False, False: None if field.null else True}[value]
    if isinstance(field, models.DateField):
        return None if value is not None and field.null else dt.date(2019, 5, 1)
    if isinstance(field, models.DecimalField):
        return (value or decimal.Decimal(0)) + 100
    if isinstance(field, models.IntegerField):
        return None if value is not None and field.null else 2
    if isinstance(field, models.JSONField):
        return [*(value or []), "swept"]
    if "country" in field.name:
        return "" if value else "US"
    if field.name == "slug":
        return f"{value}-swept"
    return "" if value else "https://swept.example.org"


def _links(obj: models.Model, field: models.ManyToManyField) -> list[int]:
    """Another set of links: one fewer when there are some, else the first candidate."""
    current = list(getattr(obj, field.name).values_list("pk", flat=True))
    if current:
        return current[1:]
    candidates = field.related_model.objects.filter(workspace_id=obj.workspace_id).exclude(pk=obj.pk)
    return list(candidates.values_list("pk", flat=True)[:1])


def test_every_field_of_every_type_reaudits_as_the_full_audit():
    load_demo("valmont")
    ws = Workspace.objects.get(slug="valmont")
    current = run_audit(ws, store=False)
    mark = ChangeLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    swept = 0
    for otype in registry:
        obj = otype.model.objects.filter(workspace=ws).order_by("pk").first()
        if obj is None:
            continue
        edits = [(f, None) for f in snapshot_fields(otype.model)] + [(None, f) for f in otype.model._meta.many_to_many]
        for field, m2m in edits:
            obj.refresh_from_db()
            if m2m is not None:
                getattr(obj, m2m.name).set(_links(obj, m2m))
            else:
                for value in _other_values(obj, field):
                    setattr(obj, field.attname, value)
                    try:
                        with transaction.atomic():
                            obj.save()
                        break
                    except IntegrityError:  # a flow keeps one source: try the next value
                        obj.refresh_from_db()
            changes, mark = changes_since(ws.pk, mark)
            if not changes:
                continue  # no other valid value (a one-choice field)
            current = reaudit(current, ws, changes)
            _same(current, run_audit(ws, current.as_of, store=False))
            swept += 1
    assert swept > 100
