"""The DOCX form of a report, written into a copy of a Word template (:mod:`mue.reports.word_template`).

The template's body is emptied and the report written with its styles only (Title, Heading 1-3,
List Bullet, Caption, "Mue …", the table style), so restyling the template restyles the report.
Tables and lists are built as WordprocessingML directly (one element per table), which keeps the
L workspace's report within seconds where python-docx's cell-by-cell API takes minutes.

The table of contents is a real TOC field (Word and LibreOffice update it, with page numbers); it is
written with the headings already in it, so it reads right before being updated, and the document
asks Word to update its fields when opened.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm

from mue.reports.charts import svg_to_png
from mue.reports.content import ReportContent
from mue.reports.word_template import TABLE_STYLE, template_path

W = nsdecls("w")


class TemplateError(ValueError):
    """The template is not a Word document, or lacks a style the report needs."""


def _t(text: str) -> str:
    return f'<w:t xml:space="preserve">{escape(text)}</w:t>'


def _run(text: str, bold: bool = False, italic: bool = False) -> str:
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{_t(text)}</w:r>"


class Writer:
    """Appends the report's parts to the body of the template, before its section properties."""

    def __init__(self, doc) -> None:
        self.doc = doc
        self.body = doc.element.body
        self.sect = self.body.find(qn("w:sectPr"))
        self.style_ids: dict[str, str] = {}
        for style in doc.styles:
            self.style_ids[style.name] = style.style_id
        self.headings: list[tuple[int, str, str]] = []

    def style(self, name: str) -> str:
        try:
            return self.style_ids[name]
        except KeyError:
            raise TemplateError(_("the template has no style '%(style)s'") % {"style": name}) from None

    def append(self, xml: str) -> None:
        self.sect.addprevious(parse_xml(xml))

    def append_all(self, paragraphs: list[str]) -> None:
        """Several elements parsed at once (one parse for a whole list)."""
        if not paragraphs:
            return
        wrapper = parse_xml(f"<w:body {W}>" + "".join(p.replace(f" {W}", "") for p in paragraphs) + "</w:body>")
        for child in list(wrapper):
            self.sect.addprevious(child)

    def para(self, runs: str, style: str = "Normal", extra: str = "") -> str:
        return f'<w:p {W}><w:pPr><w:pStyle w:val="{self.style(style)}"/>{extra}</w:pPr>{runs}</w:p>'

    def p(self, text: str, style: str = "Normal", bold: bool = False) -> None:
        self.append(self.para(_run(text, bold=bold), style))

    def heading(self, level: int, text: str) -> None:
        anchor = f"_Toc{len(self.headings) + 1:06d}"
        self.headings.append((level, text, anchor))
        runs = (f'<w:bookmarkStart w:id="{len(self.headings)}" w:name="{anchor}"/>{_run(text)}'
                f'<w:bookmarkEnd w:id="{len(self.headings)}"/>')
        self.append(self.para(runs, f"Heading {level}"))

    def bullets(self, items: list[str], style: str = "List Bullet") -> None:
        self.append_all([self.para(_run(i), style) for i in items])

    def page_break(self) -> None:
        self.append(f'<w:p {W}><w:r><w:br w:type="page"/></w:r></w:p>')

    def table(self, header: list[str] | None, rows: list[list[str]], widths: list[float],
              notes: list[list[str]] | None = None, notes_column: int = 0) -> None:
        """A table in the template's table style; the header row (if any) repeats on every page."""
        cell_style = self.style("Mue Cell")
        interest = self.style("Mue Interest")
        total = sum(widths)
        grid = "".join(f'<w:gridCol w:w="{int(w / total * 9638)}"/>' for w in widths)

        def cell(text: str, width: float, extra: list[str] = ()) -> str:
            paras = "".join(f'<w:p><w:pPr><w:pStyle w:val="{cell_style}"/></w:pPr>{_run(line)}</w:p>'
                            for line in (text.split("\n") if text else [""]))
            paras += "".join(f'<w:p><w:pPr><w:pStyle w:val="{interest}"/></w:pPr>{_run("⚠ " + n)}</w:p>'
                             for n in extra)
            return f'<w:tc><w:tcPr><w:tcW w:w="{int(width / total * 9638)}" w:type="dxa"/></w:tcPr>{paras}</w:tc>'

        look = "0400" if header is None else "0420"  # the style's header-row formatting only with a header
        out = [f'<w:tbl {W}><w:tblPr><w:tblStyle w:val="{self.table_style}"/><w:tblW w:w="5000" w:type="pct"/>'
               f'<w:tblLook w:val="{look}" w:firstRow="{0 if header is None else 1}" w:lastRow="0" '
               'w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>',
               f"<w:tblGrid>{grid}</w:tblGrid>"]
        if header is not None:
            out += ['<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>',
                    *(cell(h, w) for h, w in zip(header, widths, strict=True)), "</w:tr>"]
        for i, row in enumerate(rows):
            extra = notes[i] if notes else []
            out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            out.extend(cell(text, w, extra if j == notes_column else ()) for j, (text, w) in
                       enumerate(zip(row, widths, strict=True)))
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self.append("".join(out))
        self.p("", "Mue Muted")  # Word joins two tables that touch

    @property
    def table_style(self) -> str:
        return self.style_ids.get(TABLE_STYLE) or self.style("Table Grid")

    def picture(self, png: bytes, width_cm: float, caption: str) -> None:
        paragraph = self.doc.add_paragraph()
        paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
        # add_paragraph appends at the end of the body: move it before the section properties.
        self.sect.addprevious(paragraph._p)
        self.p(caption, "Caption")

    def hyperlink(self, text: str, url: str, style: str = "Normal") -> None:
        rid = self.doc.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = (f'<w:hyperlink xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                f'r:id="{rid}"><w:r><w:rPr><w:color w:val="1C5D99"/><w:u w:val="single"/></w:rPr>{_t(text)}</w:r>'
                "</w:hyperlink>")
        self.append(self.para(link, style))

    def toc(self, title: str) -> None:
        """A TOC field holding the headings written so far (called again at the end to fill it)."""
        self.p(title, "TOC Heading")
        self._toc_marker = parse_xml(f'<w:p {W}/>')
        self.sect.addprevious(self._toc_marker)

    def fill_toc(self) -> None:
        begin = ('<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
                 '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
                 '<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
        paras = []
        entries = [h for h in self.headings if h[0] <= 2]
        for i, (level, text, anchor) in enumerate(entries):
            style = self.style_ids.get(f"toc {level}") or self.style("Normal")
            link = f'<w:hyperlink w:anchor="{anchor}">{_run(text)}</w:hyperlink>'
            runs = (begin if i == 0 else "") + link + ('<w:r><w:fldChar w:fldCharType="end"/></w:r>'
                                                       if i == len(entries) - 1 else "")
            indent = '<w:ind w:left="360"/>' if level == 2 else ""
            paras.append(f'<w:p {W}><w:pPr><w:pStyle w:val="{style}"/>{indent}</w:pPr>{runs}</w:p>')
        for xml in paras:
            self._toc_marker.addprevious(parse_xml(xml))
        self._toc_marker.getparent().remove(self._toc_marker)


def _open_template(template: Path | None, language: str):
    path = template or template_path(language)
    try:
        doc = Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a file that is not a DOCX
        raise TemplateError(_("%(file)s is not a Word document (.docx): %(error)s")
                            % {"file": path.name, "error": exc}) from None
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is None:  # Word refreshes the TOC and page numbers on opening
        settings.append(parse_xml(f'<w:updateFields {W} w:val="true"/>'))
    return doc


def render_docx(content: ReportContent, template: Path | None = None) -> bytes:
    doc = _open_template(template, content.language)  # its errors in the user's language, not the report's
    with translation.override(content.language):
        w = Writer(doc)
        _cover(w, content)
        w.toc(_("Contents"))
        w.page_break()
        _summary(w, content)
        _maturity(w, content)
        _actions(w, content)
        _findings(w, content)
        _dependencies(w, content)
        _waivers(w, content)
        _interests(w, content)
        _annexes(w, content)
        _licence(w, content)
        w.fill_toc()
        props = doc.core_properties
        # The footer shows the title field: the document's title with the organization's name.
        props.title = f"{content.title} — {content.organization}"
        props.subject, props.author = content.organization, content.advisor or "Mue"
        props.language = content.language
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def _cover(w: Writer, c: ReportContent) -> None:
    w.p(_("Audit report").upper(), "Mue Muted")
    w.p(c.title, "Title")
    w.p(c.organization, "Subtitle")
    licence = c.licence_text.name if c.licence_text else _("No licence (all rights reserved)")
    facts = [(_("Advisor"), c.advisor), (_("Author"), c.author), (_("Reviewed by"), c.reviewer),
             (_("Audit date"), c.audit_date), (_("Report date"), c.generated), (_("Version"), c.version_label),
             (_("Licence"), licence)]
    w.table(None, [[k, v] for k, v in facts if v], [1, 3])
    w.page_break()


def _summary(w: Writer, c: ReportContent) -> None:
    w.heading(1, _("Executive summary"))
    score = "—" if c.score is None else f"{c.score:.1f}".replace(".", "," if c.language == "fr" else ".")
    w.p(f"{score} / 5", "Mue Score")
    for paragraph in c.summary:
        w.p(paragraph)
    w.heading(2, _("The five most urgent actions"))
    if not c.urgent:
        w.p(_("No action is needed: the audit found nothing to address."))
    colon = " : " if c.language == "fr" else ": "  # French typography: a space before the colon
    w.append_all([
        w.para(_run(a.title, bold=True) + _run(" — " + a.remediation) + _run(
            f" ({a.severity_label}, " + ngettext("%(count)s object", "%(count)s objects", a.objects)
            % {"count": a.objects} + colon + a.sample + ")", italic=True), "List Number") for a in c.urgent])


def _maturity(w: Writer, c: ReportContent) -> None:
    w.heading(1, _("Maturity by domain"))
    w.picture(svg_to_png(c.maturity_chart, 1100), 16,
              _("Maturity by domain, 1 (not under control) to 5 (under control)."))

    def score(value: float | None) -> str:
        return "—" if value is None else f"{value:.1f}"

    w.table([_("Domain"), _("Score"), _("Observed"), _("Declared"), _("Open findings")],
            [[d.label, score(d.score), score(d.observed), score(d.declared), str(d.open_findings)]
             for d in c.domains], [4, 1.2, 1.2, 1.2, 1.4])
    w.p(_("Observed: computed from the register's data. Declared: from the questionnaire answered by the "
          "organization."), "Mue Muted")


def _actions(w: Writer, c: ReportContent) -> None:
    w.heading(1, _("Prioritised action plan"))
    w.p(_("Actions are ranked by severity × criticality of what is affected ÷ effort: a quick fix on a critical "
          "service comes before a long project on a minor one."))
    if not c.actions:
        w.p(_("No action is needed: the audit found nothing to address."))
        return
    rows, notes = [], []
    for a in c.actions:
        text = f"{a.title} ({a.rule_id})\n{a.sample}" + (f"\n{a.note}" if a.note else "")
        rows.append([str(a.rank), text, a.severity_label, str(a.criticality or "—"), a.effort, a.owner or "—",
                     a.target_date or "—"])
        notes.append(a.notes)
    w.table(["#", _("Action"), _("Severity"), _("Criticality"), _("Effort"), _("Owner"), _("Target date")],
            rows, [0.6, 5.1, 1.3, 1.3, 1.4, 1.7, 1.5], notes, notes_column=1)


def _findings(w: Writer, c: ReportContent) -> None:
    w.heading(1, _("Findings by domain"))
    if not c.findings:
        w.p(_("The audit found nothing to address."))
    for domain in c.findings:
        w.heading(2, domain.label)
        for rule in domain.rules:
            w.heading(3, f"{rule.title} — {rule.severity_label} ({rule.rule_id})")
            w.append(w.para(_run(_("Why it matters:") + " ", bold=True) + _run(rule.rationale)))
            w.append(w.para(_run(_("What to do:") + " ", bold=True) + _run(rule.remediation)))
            items = []
            for line in rule.lines:
                runs = _run(line.object_label) + (_run(" — " + line.evidence, italic=True) if line.evidence else "")
                items.append(w.para(runs, "List Bullet"))
                items.extend(w.para(_run("⚠ " + n), "Mue Interest") for n in line.notes)
            w.append_all(items)
            if rule.hidden:
                w.p(ngettext("And %(count)s more object (see the XLSX inventory).",
                             "And %(count)s more objects (see the XLSX inventory).", rule.hidden)
                    % {"count": rule.hidden}, "Mue Muted")


def _dependencies(w: Writer, c: ReportContent) -> None:
    w.heading(1, _("Critical services and their dependencies"))
    if not c.dependency_diagram:
        w.p(_("No service of criticality 3 or 4 is recorded."))
        return
    w.p(_("What the services of criticality 3 and 4 rest on: applications, servers, sites and vendors. A failure of "
          "one box stops the services above it."))
    w.picture(svg_to_png(c.dependency_diagram, 1600), 17, _("Dependencies of the critical services."))


def _waivers(w: Writer, c: ReportContent) -> None:
    w.heading(1, _("Accepted risks"))
    if not c.waived:
        w.p(_("No risk has been accepted."))
        return
    w.table([_("Rule"), _("Object"), _("Reason"), _("Accepted by"), _("Until")],
            [[f"{x.title} ({x.rule_id})", x.object_label, x.justification, x.approver, x.expires] for x in c.waived],
            [3, 3, 4, 1.6, 1.4])


def _interests(w: Writer, c: ReportContent) -> None:
    w.heading(1, _("Declared interests and requests for information"))
    w.p(_("The advisor declares every interest held in a vendor (commission, partnership, reselling, former "
          "employment), so that every recommendation can be read knowing it."))
    if c.interests:
        w.table([_("Advisor"), _("Vendor"), _("Nature"), _("Period"), _("Details")],
                [[i.advisor, i.vendor, i.what, i.period or "—", i.note] for i in c.interests], [2, 2, 2, 2, 3])
    else:
        w.p(_("None declared: the advisor declares no interest in any vendor."), bold=True)
    w.heading(2, _("Requests for information sent to vendors"))
    if not c.requests:
        w.p(_("No request for information was sent."))
    for r in c.requests:
        w.p(f"{r.subject} ({r.sent_on.isoformat()})", bold=True)
        if r.question:
            w.p(r.question)
        w.bullets([f"{vendor}{f' ({on})' if on else ''}: {answer}" for vendor, on, answer in r.answers])


def _annexes(w: Writer, c: ReportContent) -> None:
    w.heading(1, _("Inventory annexes"))
    widths = {"services": [4, 1.4, 1.4, 2.4, 1], "applications": [3.5, 2, 2.5, 1.5, 1],
              "flows": [3, 2, 2, 3, 1], "contracts": [3, 2.2, 1.5, 1.6, 1.2, 1.6]}
    for table in c.annexes:
        w.heading(2, table.title)
        if table.rows:
            w.table(table.header, table.rows, widths[table.key], table.notes)
        else:
            w.p(table.empty)


def _licence(w: Writer, c: ReportContent) -> None:
    w.heading(1, _("Licence"))
    if c.licence_text is None:
        w.p(_("This report is not published under an open licence: all rights reserved by its authors."))
        return
    w.p(_("This report is published under the %(name)s licence.") % {"name": c.licence_text.name})
    w.p(c.licence_text.summary)
    w.p(_("Legal code:"), bold=True)
    w.hyperlink(c.licence_text.url, c.licence_text.url)
