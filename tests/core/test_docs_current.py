"""Generated documents in docs/ match the code (regenerate with the command in the message)."""

import json
from pathlib import Path

from django.contrib import admin

from mue.core.datamodel import render
from mue.core.registry import registry
from mue.interchange.schema import document_schema

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_data_model_doc_is_current():
    assert (DOCS / "data-model.md").read_text(encoding="utf-8") == render(), (
        "docs/data-model.md is out of date: run `mue datamodel --output docs/data-model.md`")


def test_published_schema_is_current():
    published = json.loads((DOCS / "map-schema.json").read_text(encoding="utf-8"))
    assert published == json.loads(json.dumps(document_schema())), (
        "docs/map-schema.json is out of date: run `mue schema --output docs/map-schema.json`")


def test_every_type_is_complete():
    """A new type is wired everywhere by the registry: admin, schema, data-model doc."""
    schema = document_schema()
    text = render()
    assert len(registry) >= 15
    for otype in registry:
        assert otype.model in admin.site._registry, otype.key
        assert otype.key in schema["properties"] and otype.key in schema["$defs"]
        assert f"`{otype.key}`" in text
