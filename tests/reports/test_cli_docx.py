"""`mue report` and friends, the Word templates, and the DOCX as LibreOffice reads it."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import pytest
from docx import Document
from typer.testing import CliRunner

from mue.cli.app import ExitCode
from mue.cli.main import app
from mue.reports.word_template import MUE_STYLES, TABLE_STYLE, template_path
from tests.reports.conftest import docx_text

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_shipped_templates_have_the_styles_page_numbers_and_language(language):
    doc = Document(str(template_path(language)))
    names = {s.name for s in doc.styles}
    needed = {"Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "List Number",
              "Caption", "TOC Heading", TABLE_STYLE, *(name for name, *_rest in MUE_STYLES)}
    assert needed <= names
    with zipfile.ZipFile(template_path(language)) as z:
        footer = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
        styles = z.read("word/styles.xml").decode()
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    assert {"fr": "fr-FR", "en": "en-GB"}[language] in styles


def test_report_command_writes_each_format(valmont, tmp_path):
    for fmt, magic in (("docx", b"PK"), ("html", b"<!DOCTYPE html>"), ("pdf", b"%PDF")):
        out = tmp_path / f"valmont.{fmt}"
        result = invoke("report", "-w", "valmont", "--format", fmt, "-o", str(out), "--licence", "cc-by-4.0",
                        "--advisor", "Claire Martin", "--language", "en")
        assert result.exit_code == 0, result.output
        assert out.read_bytes().startswith(magic)
    text = "\n".join(docx_text((tmp_path / "valmont.docx").read_bytes()))
    assert "Claire Martin" in text and "Creative Commons Attribution 4.0 International" in text
    assert "Contents" in text and "Executive summary" in text


def test_report_command_errors(db, valmont, tmp_path):
    assert invoke("report", "nowhere", "-o", str(tmp_path / "x.docx")).exit_code == ExitCode.NOT_FOUND
    assert invoke("report", "-w", "valmont", "--format", "odt").exit_code == ExitCode.USAGE
    assert invoke("report", "-w", "valmont", "--licence", "gpl").exit_code == ExitCode.USAGE
    assert invoke("report", "-w", "valmont", "--version", "3").exit_code == ExitCode.NOT_FOUND
    bad = tmp_path / "bad.docx"
    bad.write_text("not a document")
    result = invoke("report", "-w", "valmont", "--template", str(bad), "-o", str(tmp_path / "x.docx"))
    assert result.exit_code == ExitCode.INVALID_INPUT and "not a Word document" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.docx").exists()


def test_report_without_run_says_to_audit_first(db, tmp_path):
    from mue.core.models import Workspace

    Workspace.objects.create(slug="vide", name="Vide")
    result = invoke("report", "vide", "-o", str(tmp_path / "x.docx"))
    assert result.exit_code == ExitCode.NOT_FOUND and "mue audit vide" in result.output


def test_a_restyled_template_is_used(valmont, tmp_path):
    mine = tmp_path / "mine.docx"
    assert invoke("report-template", "-o", str(mine), "--language", "en").exit_code == 0
    doc = Document(str(mine))
    doc.styles["Heading 1"].font.name = "Courier New"
    doc.save(str(mine))
    out = tmp_path / "out.docx"
    assert invoke("report", "-w", "valmont", "--template", str(mine), "-o", str(out)).exit_code == 0
    assert Document(str(out)).styles["Heading 1"].font.name == "Courier New"


def test_plan_and_review_through_the_cli(valmont, tmp_path):
    from mue.reports.models import Action, Report

    result = invoke("report-plan", "-w", "valmont")
    assert result.exit_code == 0, result.output
    rule = Action.objects.order_by("rule_id").first().rule_id
    result = invoke("report-plan", "-w", "valmont", rule, "--owner", "DGS", "--target", "2027-06-30", "--position", "1")
    assert result.exit_code == 0, result.output
    assert Action.objects.get(rule_id=rule).owner == "DGS"
    assert invoke("report-plan", "-w", "valmont", rule, "--target", "demain").exit_code == ExitCode.USAGE
    assert invoke("report-review", "-w", "valmont", "submit").exit_code == 0
    assert invoke("report-review", "-w", "valmont", "approve", "--by", "cli").exit_code == ExitCode.INVALID_INPUT
    assert invoke("report-review", "-w", "valmont", "approve", "--by", "Paul Reviewer").exit_code == 0
    result = invoke("report-review", "-w", "valmont", "publish")
    assert result.exit_code == 0, result.output
    report = Report.objects.get(status="published")
    out = tmp_path / "v1.html"
    assert invoke("report", "-w", "valmont", "--version", "1", "--format", "html", "-o", str(out)).exit_code == 0
    assert out.read_bytes() == bytes(report.files.get(format="html").content)


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice (soffice) is not installed: Debian's "
                    "libreoffice-writer-nogui, installed by .ci/run where it can be")
def test_libreoffice_opens_the_docx(valmont, tmp_path):
    out = tmp_path / "valmont.docx"
    assert invoke("report", "-w", "valmont", "-o", str(out), "--language", "en").exit_code == 0
    profile = tmp_path / "profile"
    subprocess.run([_soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "valmont.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True).stdout.decode()
        assert "Audit of the digital landscape" in text and "Commune de Valmont" in text
        assert "Prioritised action plan" in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed: Debian's "
                    "poppler-utils, installed by .ci/run where it can be")
def test_the_pdf_contents_give_each_parts_page(valmont, tmp_path):
    import re

    out = tmp_path / "valmont.pdf"
    assert invoke("report", "-w", "valmont", "--format", "pdf", "-o", str(out), "--language", "en").exit_code == 0
    contents = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "2", str(out), "-"], check=True,
                              capture_output=True).stdout.decode()
    pages = [int(n) for n in re.findall(r"^\s*\d+\.\s+\S.*?\.{3,}\s*(\d+)\s*$", contents, re.M)]
    assert len(pages) == 9, contents  # every part of the contents, with its page
    assert pages == sorted(pages) and pages[0] == 3  # in order, the summary after the cover and the contents
    found = subprocess.run(["pdftotext", "-f", str(pages[2]), "-l", str(pages[2]), str(out), "-"], check=True,
                           capture_output=True).stdout.decode()
    assert "Prioritised action plan" in found  # the page it gives is the part's
