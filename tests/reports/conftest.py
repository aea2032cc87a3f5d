"""Shared set-up of the report tests: the Valmont demo, audited, with a draft report."""

from __future__ import annotations

import io

import pytest

from mue.audit.engine import run_audit
from mue.core.models import Workspace
from mue.demo import load_demo, today


@pytest.fixture
def valmont(db) -> Workspace:
    load_demo("valmont")
    ws = Workspace.objects.get(slug="valmont")
    run_audit(ws, as_of=today(), store=True, actor="test")
    return ws


@pytest.fixture
def draft(valmont):
    from mue.reports.services import current_draft

    return current_draft(valmont, author_name="Claire Martin")


def docx_text(data: bytes) -> list[str]:
    """Every paragraph of a DOCX, body and tables, in document order."""
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(io.BytesIO(data))
    lines = []
    for p in doc.element.body.iter(qn("w:p")):
        lines.append("".join(t.text or "" for t in p.iter(qn("w:t"))))
    return lines


def html_text(data: bytes) -> str:
    import html
    import re

    text = re.sub(r"<style.*?</style>|<svg.*?</svg>", " ", data.decode("utf-8"), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))
