"""The shipped Word templates (French and English): styles a user can restyle, page numbers, a cover.

A report's DOCX is written into a copy of a template (:mod:`mue.reports.word`): the template gives
the styles (Title, Subtitle, Heading 1-3, Normal, List Bullet, Caption, the "Mue …" styles, the
table style), the page set-up, the header and footer (title and "page X of Y" fields, none on the
cover); the body is replaced by the report. A user restyles the template in Word or LibreOffice and
passes it with ``mue report --template FILE`` (or keeps it as the instance's default, see
docs/reports.md). ``mue report-template`` writes the shipped one to start from.

The shipped files ``templates/reports/report-<lang>.docx`` are made by :func:`build_template`
(``python -m mue.reports.word_template`` rewrites them); a test checks they hold every style the
report uses.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

TEMPLATES = Path(__file__).resolve().parent / "templates" / "reports"
ACCENT = RGBColor(0x1C, 0x5D, 0x99)
MUTED = RGBColor(0x5F, 0x6B, 0x73)
FONT = "Arial"  # LibreOffice shows it with the metric-compatible Liberation Sans
LANG_TAG = {"fr": "fr-FR", "en": "en-GB"}
FOOTER_WORDS = {"fr": ("Page ", " sur "), "en": ("Page ", " of ")}
#: Paragraph styles the generator uses besides Word's built-in ones: (name, size, colour, italic).
MUE_STYLES = (("Mue Muted", 8.5, MUTED, False), ("Mue Interest", 8.5, RGBColor(0x8A, 0x4B, 0x00), True),
              ("Mue Cell", 8.5, None, False), ("Mue Score", 30, ACCENT, False))
TABLE_STYLE = "Light Grid Accent 1"


def template_path(language: str) -> Path:
    return TEMPLATES / f"report-{language if language in LANG_TAG else 'en'}.docx"


def _field(paragraph, instruction: str, shown: str) -> None:
    """A simple field (PAGE, NUMPAGES, TITLE) showing ``shown`` until the program updates it."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _set_language(style, tag: str) -> None:
    rpr = style.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)
    rpr.append(lang)


def _styles(doc, language: str) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(10)
    normal.paragraph_format.space_after = Pt(5)
    normal.paragraph_format.line_spacing = 1.12
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    _set_language(normal, LANG_TAG[language])
    for name, size, bold in (("Title", 26, True), ("Subtitle", 15, False), ("Heading 1", 17, True),
                             ("Heading 2", 13, True), ("Heading 3", 11, True), ("TOC Heading", 17, True)):
        style = styles[name]
        style.font.name, style.font.size, style.font.bold = FONT, Pt(size), bold
        style.font.color.rgb = ACCENT
        style.font.italic = False
        rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
        style.paragraph_format.space_before = Pt(size * 0.9)
        style.paragraph_format.space_after = Pt(size * 0.4)
        style.paragraph_format.keep_with_next = True
    styles["Heading 1"].paragraph_format.page_break_before = True
    styles["Title"].paragraph_format.space_before = Pt(120)
    for name, size, colour, italic in MUE_STYLES:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size, style.font.italic = Pt(size), italic
        if colour is not None:
            style.font.color.rgb = colour
        style.paragraph_format.space_after = Pt(1 if name == "Mue Cell" else 3)
    styles["Mue Score"].font.bold = True
    styles["Caption"].font.color.rgb = MUTED


def _page(doc, language: str) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2.2)
    section.different_first_page_header_footer = True  # the cover has no page number
    style = doc.styles["Footer"]
    style.font.size, style.font.color.rgb = Pt(8), MUTED
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(footer, "TITLE", "")
    before, between = FOOTER_WORDS[language]
    footer.add_run(" — " + before)
    _field(footer, "PAGE", "1")
    footer.add_run(between)
    _field(footer, "NUMPAGES", "1")
    for run in footer.runs:
        run.font.size, run.font.color.rgb = Pt(8), MUTED


def build_template(language: str) -> bytes:
    """The shipped template of ``language`` (fr or en) as DOCX bytes."""
    doc = Document()
    _styles(doc, language)
    _page(doc, language)
    doc.core_properties.title = "Mue"
    doc.core_properties.author = "Mue"
    explain = {"fr": "Modèle de rapport d'audit de Mue. Modifiez les styles (Titre, Titre 1 à 3, Normal, « Mue … »), "
                     "la mise en page, l'en-tête et le pied de page : le contenu de ce corps est remplacé "
                     "par le rapport.",
               "en": "Mue's audit report template. Change the styles (Title, Heading 1 to 3, Normal, \"Mue …\"), the "
                     "page set-up, the header and the footer: the body is replaced by the report."}[language]
    doc.add_paragraph(explain)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def main() -> None:
    for language in LANG_TAG:
        template_path(language).write_bytes(build_template(language))
        sys.stdout.write(f"wrote {template_path(language)}\n")


if __name__ == "__main__":
    main()
