"""Property: export then import gives an identical workspace, through YAML and JSON files."""

from __future__ import annotations

import datetime as dt
import decimal
import itertools

from django.core.validators import MaxValueValidator
from django.db import models
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mue.applications.licences import LicenceField
from mue.core.models import Workspace
from mue.core.registry import ENDPOINT_TYPES, MapField, registry
from mue.interchange.exporter import dumps, export_workspace
from mue.interchange.importer import import_document
from mue.interchange.sources import load_structured

_counter = itertools.count()
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=12)
SLUGS = st.from_regex(r"[a-z0-9][a-z0-9-]{0,8}[a-z0-9]", fullmatch=True)


def value_strategy(field: models.Field) -> st.SearchStrategy:
    if field.choices:
        values = [v for v, _ in field.flatchoices]
        return st.sampled_from(values + ([None] if field.null else []))
    if isinstance(field, models.BooleanField):
        return st.booleans() | st.none() if field.null else st.booleans()
    if isinstance(field, models.DateField):
        return st.dates(dt.date(1990, 1, 1), dt.date(2060, 12, 31)).map(dt.date.isoformat)
    if isinstance(field, models.DecimalField):
        top = min([999999, *(v.limit_value for v in field.validators if isinstance(v, MaxValueValidator))])
        return st.decimals(0, top, places=2, allow_nan=False, allow_infinity=False).map(
            lambda d: float(d) if d != d.to_integral_value() else int(d))
    if isinstance(field, models.IntegerField):  # within what the column and its validators hold
        small = isinstance(field, models.SmallIntegerField | models.PositiveSmallIntegerField)
        top = min([32767 if small else 100000, *(v.limit_value for v in field.validators
                                                 if isinstance(v, MaxValueValidator))])
        return st.integers(0, top)
    if isinstance(field, models.JSONField):
        return st.lists(st.text("abcdefghij-", min_size=1, max_size=8), max_size=3)
    if isinstance(field, models.URLField):
        return st.sampled_from(["https://example.org/", "https://mue.example.org/a?b=c", ""])
    if isinstance(field, models.EmailField):
        return st.sampled_from(["a@example.org", "marie.durand@valmont.fr", ""])
    if isinstance(field, LicenceField):  # SPDX expressions only (the field refuses other text)
        return st.sampled_from(["GPL-3.0-or-later", "MIT OR Apache-2.0", "etalab-2.0", "LicenseRef-x", ""])
    return TEXT.map(lambda s: s[: field.max_length] if field.max_length else s)


@st.composite
def map_documents(draw) -> dict:
    slugs: dict[str, list[str]] = {}
    doc: dict = {}
    for otype in registry:
        items = []
        own = draw(st.lists(SLUGS, max_size=3, unique=True))
        slugs[otype.singular] = own
        for slug in own:
            item = {"slug": slug, "name": draw(TEXT.filter(bool).map(lambda s: s[:200]))}
            for mf in otype.fields:
                if mf.key in ("slug", "name") or not (mf.required_on_create or draw(st.booleans())):
                    continue
                if (otype.key, mf.key) in ACROSS_ITEMS:
                    continue
                value = draw_field(draw, mf, slugs)
                if value is not _SKIP:
                    item[mf.key] = value
                elif mf.required_on_create:  # a required reference with nothing to point to: no such item
                    item = None
                    break
            if item is None:
                continue
            if any(mf.required_on_create and mf.key not in item for mf in otype.fields):
                continue  # a required reference with nothing to point at (a review without terms): no item
            if not _acceptable(otype, item, items):
                continue
            if getattr(otype.model.Map, "endpoints", None):
                for key in otype.model.Map.endpoints:
                    candidates = [f"{k}:{s}" for k in ENDPOINT_TYPES for s in slugs.get(k, [])]
                    if not candidates:
                        break
                    item[key] = draw(st.sampled_from(candidates))
                else:
                    items.append(item)
                    continue
                continue  # no endpoint available: no flow
            items.append(item)
        # keep the slug list in step with the items kept (flows without endpoints were dropped)
        slugs[otype.singular] = [i["slug"] for i in items]
        if items:
            doc[otype.key] = items
    return doc


_SKIP = object()
#: Fields whose valid values depend on other items (a cost line's sharing key on its shares: tests/costs).
ACROSS_ITEMS = {("costs", "sharing")}


def _acceptable(otype, item: dict, items: list[dict]) -> bool:
    """Whether the importer accepts this drawn item: its required keys (a reference with nothing to
    point to is left out), the type's own check, one object per identity (person and competence)."""
    if any(mf.required_on_create and mf.key not in item for mf in otype.fields):
        return False
    check = getattr(otype.model.Map, "check", None)
    if check and check(item):
        return False
    identity = getattr(otype.model.Map, "identity", None)
    def key(i: dict) -> tuple:
        return tuple(str(i.get(k) or "") for k in identity)
    return not identity or all(key(other) != key(item) for other in items)


def draw_field(draw, mf: MapField, slugs: dict[str, list[str]]):
    if mf.kind == "value":
        return draw(value_strategy(mf.field))
    if mf.kind == "ref":
        options = slugs.get(mf.target, [])
        return draw(st.sampled_from(options)) if options else _SKIP
    if mf.kind == "refs":
        options = slugs.get(mf.target, [])
        return draw(st.lists(st.sampled_from(options), unique=True, max_size=3)) if options else _SKIP
    if mf.kind == "group":
        return {m.key: draw(value_strategy(m.field)) for m in mf.members if draw(st.booleans())}
    if mf.kind == "links":
        options = [f"{k}:{s}" for k, values in slugs.items() for s in values]
        return draw(st.lists(st.sampled_from(options), unique=True, max_size=3)) if options else _SKIP
    return _SKIP  # endpoints are drawn with their flow


def _without_workspace(document: dict) -> dict:
    return {k: v for k, v in document.items() if k != "workspace"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(doc=map_documents(), fmt=st.sampled_from(["yaml", "json"]))
def test_export_then_import_gives_an_identical_workspace(db, doc, fmt):
    n = next(_counter)
    source = f"a{n}"
    import_document({"workspace": {"slug": source, "name": "A"}, **doc})
    exported = export_workspace(Workspace.objects.get(slug=source))

    data = dumps(exported, fmt)
    parsed, locate = load_structured(data, f"export.{fmt}", fmt)
    report = import_document(parsed, source=f"export.{fmt}", locate=locate, workspace=f"b{n}")
    assert report.summary()
    again = export_workspace(Workspace.objects.get(slug=f"b{n}"))
    assert _without_workspace(again) == _without_workspace(exported)

    # and re-importing the export into its own workspace changes nothing
    assert not import_document(parsed, workspace=source).changed


def test_decimal_amounts_survive(db):
    doc = {"workspace": {"slug": "w", "name": "W"},
           "costs": [{"slug": "c", "name": "C", "amount": 1234.5, "year": 2025, "kind": "licence"}]}
    import_document(doc)
    out = export_workspace(Workspace.objects.get(slug="w"))
    assert out["costs"][0]["amount"] == 1234.5
    from mue.vendors.models import CostLine

    assert CostLine.objects.get().amount == decimal.Decimal("1234.50")
