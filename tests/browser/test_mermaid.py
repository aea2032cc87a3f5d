"""Mue's Mermaid files parsed by Mermaid itself, in the browser (Mermaid's parser is JavaScript only).

Mermaid is not vendored (5 MB): the test runs when ``MUE_MERMAID_JS`` names a ``mermaid.min.js``
(``npm pack mermaid`` and take ``package/dist/mermaid.min.js``), and is skipped with that reason
otherwise; tests/graph/test_formats.py checks the same files against the grammar Mue writes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mue.graph.build import build_graph
from mue.graph.formats import lineage_selection, render_mermaid
from mue.graph.lineage import lineage
from mue.graph.svg import default_selection

MERMAID = os.environ.get("MUE_MERMAID_JS", "")
pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not Path(MERMAID).is_file(),
                                 reason="set MUE_MERMAID_JS to a mermaid.min.js to parse with Mermaid itself")]

PARSE = """async (text) => {
  try { return (await mermaid.parse(text)).diagramType; } catch (error) { return "error: " + error.message; }
}"""


def test_mermaid_parses_every_view_mue_writes(browser):
    from mue.core.models import Workspace
    from mue.demo import load_demo

    load_demo("valmont")
    graph = build_graph(Workspace.objects.get(slug="valmont"))
    assert graph.find("asset", "hv-01") is not None and graph.find("service", "etat-civil") is not None
    texts = [render_mermaid(graph, default_selection(graph, None)),
             render_mermaid(graph, default_selection(graph, graph.find("service", "etat-civil"))),
             render_mermaid(graph, default_selection(graph, graph.find("asset", "hv-01"))),
             render_mermaid(graph, lineage_selection(graph, lineage(graph, "actes-etat-civil")))]
    page = browser.new_page()
    try:
        page.set_content("<html><body></body></html>")
        page.add_script_tag(path=MERMAID)
        for text in texts:
            assert page.evaluate(PARSE, text) == "flowchart-v2", text[:300]
        assert page.evaluate(PARSE, 'flowchart LR\n    n1["a"] --> n2[').startswith("error: ")  # it can fail
    finally:
        page.close()
