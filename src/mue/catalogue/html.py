"""The service contract as one self-contained HTML page (styles inline, no script), printable."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from mue.catalogue.content import ContractContent
from mue.reports.html import CSS


def render_html(content: ContractContent) -> bytes:
    with translation.override(content.language):
        text = render_to_string("catalogue/contract.html", {"c": content, "css": CSS.read_text(encoding="utf-8")})
    return text.encode("utf-8")
