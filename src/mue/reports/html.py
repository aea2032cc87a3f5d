"""The HTML and PDF forms of a report.

HTML: one self-contained page (styles inline, the charts as inline SVG, no script, no external
file), readable in any browser and printable. PDF: the same page laid out by WeasyPrint (pages of
A4 with their numbers, from the print styles), so the two never differ in content.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

from mue.reports.content import ReportContent

CSS = Path(__file__).resolve().parent / "templates" / "reports" / "report.css"
_PROLOG = re.compile(r"^<\?xml[^>]*\?>\s*")


def _inline(svg: str | None) -> str:
    return _PROLOG.sub("", svg) if svg else ""


def render_html(content: ReportContent) -> bytes:
    with translation.override(content.language):
        text = render_to_string("reports/report.html", {
            "c": content, "css": CSS.read_text(encoding="utf-8"), "chart": _inline(content.maturity_chart),
            "diagram": _inline(content.dependency_diagram)})
    return text.encode("utf-8")


def render_pdf(content: ReportContent) -> bytes:
    """The HTML form laid out as PDF by WeasyPrint (needs Pango, see docs/reports.md)."""
    from weasyprint import HTML

    return HTML(string=render_html(content).decode("utf-8")).write_pdf()
