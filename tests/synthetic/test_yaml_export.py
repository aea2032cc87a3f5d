"""The fast YAML writer of exports reads back as the very document, whatever the strings."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mue.interchange.exporter import _Dumper, dumps
from mue.interchange.sources import MapLoader
from mue.synthetic.generator import build_document

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=False), st.text(max_size=40),
                    st.sampled_from(["yes", "no", "on", "null", "~", "1.0", "0x1F", "2024-01-01", "1_000", "- a",
                                     "a: b", "a #b", " lead", "trail ", "é à", "a → b", "=", "<<", "'q'", "\u2028"]))
documents = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(st.text(max_size=12), inner, max_size=4)),
                         max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(doc=st.dictionaries(st.text(min_size=1, max_size=12), documents, max_size=5))
def test_any_document_reads_back_identical(doc):
    text = dumps(doc, "yaml")
    assert yaml.load(text, Loader=yaml.SafeLoader) == doc  # noqa: S506 - SafeLoader
    assert yaml.load(text.decode(), Loader=MapLoader) == doc  # noqa: S506 - MapLoader is a SafeLoader


def test_generated_workspace_reads_back_identical_and_as_pyyaml_reads_its_own():
    doc = build_document("S", 1)
    fast = yaml.load(dumps(doc, "yaml").decode(), Loader=MapLoader)  # noqa: S506
    slow = yaml.load(yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True), Loader=MapLoader)  # noqa: S506
    assert fast == slow == doc
