"""The graph's types are the registry's: names, labels, models and the spellings the CLI accepts."""

from __future__ import annotations

import pytest

from mue.core.registry import registry
from mue.graph.build import NODE_TYPES, TYPE_LABELS, node_model
from mue.graph.resolve import ResolveError, aliases, node_type


def test_every_node_type_is_a_registry_type():
    for type_name in NODE_TYPES:
        otype = registry.by_singular(type_name)
        assert node_model(type_name) is otype.model
        assert str(TYPE_LABELS[type_name]) == otype.label


@pytest.mark.parametrize("type_name", NODE_TYPES)
def test_singular_and_plural_key_resolve(type_name):
    otype = registry.by_singular(type_name)
    assert node_type(otype.singular) == type_name
    assert node_type(otype.key) == type_name
    assert node_type(otype.key.upper()) == type_name


def test_usual_words_still_accepted():
    assert node_type("apps") == node_type("app") == "application"
    assert node_type("vendor") == "party"
    assert set(aliases().values()) == set(NODE_TYPES)


def test_non_node_type_is_refused():
    with pytest.raises(ResolveError):
        node_type("flows")
