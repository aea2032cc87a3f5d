"""Large YAML maps are parsed in parts; the document is the same as one whole parse."""

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mue.interchange import sources
from mue.interchange.exporter import dumps
from mue.interchange.sources import MapLoader, load_yaml


def whole(text: str):
    return yaml.load(text, Loader=MapLoader)  # noqa: S506


def parts(text: str, monkeypatch, per_part: int = 2):
    monkeypatch.setattr(sources, "PARTS_FROM_BYTES", 0)
    monkeypatch.setattr(sources, "ITEMS_PER_PART", per_part)
    return load_yaml(text)


DOC = """\
# a map
format: mue-map/1
workspace:
  slug: w   # comment
  name: W
applications:
- slug: a
  name: "A: the first"
  tags: [x, y]
- slug: b
  name: B
  description: |
    several lines
    - not an item
- {slug: c, name: C}
flows:
  - from: a
    to: b
    data:
      - d1
      - d2
  # a comment between items
  - from: b
    to: c
  - {from: c, to: a}
units: []
sites:
"""


def test_parts_equal_whole_parse(monkeypatch):
    # the split itself, not its fallback, gives the same document
    assert sources._load_yaml_in_parts(DOC) == whole(DOC)
    assert parts(DOC, monkeypatch) == whole(DOC)
    assert parts(DOC, monkeypatch, per_part=1) == whole(DOC)
    assert list(parts(DOC, monkeypatch)) == list(whole(DOC))  # key order kept


def test_what_cannot_be_split_falls_back(monkeypatch):
    anchored = "units:\n- &u {slug: u, name: U}\n- {slug: v, name: V}\n- {slug: w, name: W}\nsites:\n- *u\n"
    assert parts(anchored, monkeypatch, per_part=1) == whole(anchored)
    flow_style = "{units: [{slug: u, name: U}]}\n"
    assert parts(flow_style, monkeypatch) == whole(flow_style)
    two_docs = "units: []\n---\nsites: []\n"
    try:
        parts(two_docs, monkeypatch)
    except yaml.YAMLError:
        pass  # the whole parse rejects several documents, as it should
    else:
        raise AssertionError("several documents must be rejected")


@settings(max_examples=25, deadline=None)
@given(st.dictionaries(st.sampled_from(["units", "sites", "applications", "flows"]),
                       st.lists(st.fixed_dictionaries({"slug": st.text("abc-", min_size=1, max_size=5),
                                                       "name": st.text(max_size=8),
                                                       "tags": st.lists(st.text(max_size=4), max_size=2)}),
                                max_size=7)))
def test_exported_documents_parse_the_same_in_parts(doc):
    text = dumps({"workspace": {"slug": "w", "name": "W"}, **doc}, "yaml").decode()
    old = (sources.PARTS_FROM_BYTES, sources.ITEMS_PER_PART)
    sources.PARTS_FROM_BYTES, sources.ITEMS_PER_PART = 0, 2
    try:
        assert sources._load_yaml_in_parts(text) == whole(text)
        assert load_yaml(text) == whole(text)
    finally:
        sources.PARTS_FROM_BYTES, sources.ITEMS_PER_PART = old
