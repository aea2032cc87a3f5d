"""The record written out: XLSX in the layout of the CNIL's model record, readable HTML and DOCX.

The XLSX follows the CNIL's "modèle de registre" (a summary sheet "Registre", then one sheet per
activity with its sections in order); its headings are the model's own, in French whatever the
language, as a French regulator or DPO expects them. HTML and DOCX are in the workspace's language;
the DOCX is written with the audit report's Word template and writer (:mod:`mue.reports.word`).
"""

from __future__ import annotations

import io
import math
import re

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from mue.core.spreadsheet import is_formula_like
from mue.gdpr.dpia import CRITERIA_LABELS, required_type_label
from mue.gdpr.record import ActivityView, Record

FORMATS = ("xlsx", "html", "docx")
_SECTION = PatternFill("solid", fgColor="DDE7F3")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text and is_formula_like(text) else text


def _names(objects) -> str:
    return ", ".join(str(o) for o in objects)


def _person(person) -> str:
    if person is None:
        return ""
    return " — ".join(part for part in (person.name, person.role, person.email) if part)


def activity_rows(view: ActivityView) -> list[tuple[str, str | None]]:
    """The CNIL model's sections and lines for one activity: (heading, value); value None = a section.

    The headings are translated: in French they are the model's own (the XLSX is always written in French).
    """
    a = view.activity
    rows: list[tuple[str, str | None]] = [
        (_("Description of the processing"), None),
        (_("Name / acronym"), a.name),
        (_("No. / REF"), f"{view.number} ({a.slug})"),
        (_("Created on"), date_format(a.created.date(), "SHORT_DATE_FORMAT")),
        (_("Updated on"), date_format(a.updated.date(), "SHORT_DATE_FORMAT")),
        (_("Actors"), None),
        (_("Controller"), a.get_role_display() + (f" — {a.unit}" if a.unit else "")),
        (_("Person responsible"), _person(a.responsible)),
        (_("Data protection officer"), _person(a.dpo)),
        (_("Joint controller(s) / on behalf of"), _names(a.controllers.all())),
        (_("Purpose(s) of the processing"), None),
        (_("Main purpose"), a.purposes),
        (_("Legal basis"), a.get_legal_basis_display()),
        (_("Business processes"), _names(a.processes.all())),
        (_("Security measures"), None),
        (_("Technical and organisational security measures"), "\n".join(str(m) for m in view.measures)),
        (_("Other measures"), a.security_note),
        (_("Categories of personal data"), None),
    ]
    for category in a.data.all():
        rows.append((str(category), f"{category.get_personal_data_display()} — "
                                    + _("Erasure period: %(period)s") % {"period": view.retention_of(category)}))
    sensitive = [c for c in a.data.all() if c.personal_data in ("sensitive", "criminal")]
    rows += [
        (_("Sensitive data"), _names(sensitive) or _("No")),
        (_("Condition for processing sensitive data (art. 9 / 10)"), a.get_sensitive_condition_display()),
        (_("Categories of data subjects"), None),
        (_("Data subjects"), a.data_subjects or "; ".join(c.data_subjects for c in a.data.all()
                                                              if c.data_subjects)),
        (_("Recipients"), None),
        (_("Internal recipients"), _names(a.internal_recipients.all())),
        (_("External bodies"), _names(a.recipients.all())),
        (_("Processors"), _names(view.processors)),
        (_("Media and flows"), None),
        (_("Services"), _names(a.services.all())),
        (_("Applications"), _names(a.applications.all())),
        (_("Data flows"), _names(a.flows.all())),
        (_("Transfers of data outside the EU"), None),
    ]
    transfers = list(a.transfers.all())
    for t in transfers:
        rows.append((_("Recipient: %(name)s") % {"name": t.recipient or t.application or t.name},
                     _("Country: %(country)s — Safeguard: %(safeguard)s") % {
                         "country": t.country, "safeguard": t.get_safeguard_display() or pgettext("safeguard", "none")}
                     + (" — " + _("Documentation: %(link)s") % {"link": t.safeguard_reference}
                        if t.safeguard_reference else "")))
    if not transfers:
        rows.append((_("Transfers"), "Aucun transfert enregistré"))
    s = view.screening
    rows += [
        (_("Data protection impact assessment (DPIA)"), None),
        (_("WP248 criteria met"), f"{s.count} / 9 : " + ", ".join(str(CRITERIA_LABELS[c]) for c in s.criteria)
         if s.count else "0 / 9"),
        (_("Type of processing requiring a DPIA"), required_type_label(s.required_type) if s.required_type else ""),
        (_("DPIA likely required"), _("Yes") if s.likely_required else _("No")),
        (capfirst(_("DPIA status")), a.get_dpia_status_display()),
        (capfirst(_("DPIA date")), date_format(a.dpia_date, "SHORT_DATE_FORMAT") if a.dpia_date else ""),
        (_("Link to the DPIA"), a.dpia_link),
    ]
    return rows


def _sheet_title(view: ActivityView, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub(" ", f"{view.number}. {view.activity.name}")[:31].strip()
    title, n = base, 2
    while title.lower() in used:
        title = f"{base[:27]} ({n})"
        n += 1
    used.add(title.lower())
    return title


def _header(ws, record: Record, title: str) -> None:
    """Title, organization, DPO and date; on the summary (narrow first column) each line is one cell."""
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    lines = [("Organisme", record.workspace.name), ("Délégué à la protection des données", _person(record.dpo)),
             ("Date", date_format(record.date, "SHORT_DATE_FORMAT"))]
    for label, value in lines:
        ws.append([_cell(f"{label} : {value}")] if ws.title == "Registre" else [label, _cell(value)])
    ws.append([])
    # Printed (or converted to PDF) on landscape pages as wide as the sheet.
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def _wrap(ws, widths: dict[str, int], first_row: int) -> None:
    """Wrap the cells' text from ``first_row`` on and give each row the height of its longest cell:
    LibreOffice keeps a file's row heights, so a row left at the default shows one line of a long text."""
    for row in ws.iter_rows(min_row=first_row):
        lines = 1
        for cell in row:
            width = widths.get(cell.column_letter)
            if width is None or cell.value is None:
                continue
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            text = str(cell.value)
            lines = max(lines, sum(max(1, math.ceil(len(part) / (width * 1.1))) for part in text.split("\n")))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = 15 * lines


def render_xlsx(record: Record) -> bytes:
    with translation.override("fr"):
        wb = Workbook()
        summary = wb.active
        summary.title = "Registre"
        _header(summary, record, "Registre des activités de traitement")
        summary.append(["N°", "Nom de l'activité", "Finalité principale", "Base légale", "Date de création",
                        "Mise à jour", "AIPD"])
        for cell in summary[summary.max_row]:
            cell.font, cell.fill = Font(bold=True), _SECTION
        for view in record.items:
            a = view.activity
            summary.append([view.number, _cell(a.name), _cell(a.purposes), a.get_legal_basis_display(),
                            date_format(a.created.date(), "SHORT_DATE_FORMAT"),
                            date_format(a.updated.date(), "SHORT_DATE_FORMAT"), a.get_dpia_status_display()])
        widths = dict(zip("ABCDEFG", (6, 40, 60, 30, 14, 14, 14), strict=True))
        for column, width in widths.items():
            summary.column_dimensions[column].width = width
        _wrap(summary, widths, first_row=6)
        used = {"registre"}
        for view in record.items:
            ws = wb.create_sheet(_sheet_title(view, used))
            _header(ws, record, f"Fiche de registre : {view.activity.name}")
            for heading, value in activity_rows(view):
                ws.append([heading] if value is None else [heading, _cell(value)])
                if value is None:
                    ws.cell(ws.max_row, 1).font, ws.cell(ws.max_row, 1).fill = Font(bold=True), _SECTION
            widths = {"A": 50, "B": 90}
            for column, width in widths.items():
                ws.column_dimensions[column].width = width
            _wrap(ws, widths, first_row=2)
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()


def render_html(record: Record) -> bytes:
    language = record.workspace.language or "fr"
    with translation.override(language):
        text = render_to_string("gdpr/record.html", {
            "record": record, "sheets": [(view, activity_rows(view)) for view in record.items],
            "dpo": _person(record.dpo)})
    return text.encode("utf-8")


def render_docx(record: Record) -> bytes:
    from mue.reports.word import Writer, _open_template

    language = record.workspace.language or "fr"
    doc = _open_template(None, language)
    with translation.override(language):
        w = Writer(doc)
        w.p(_("Record of processing activities"), "Title")
        w.p(record.workspace.name, "Subtitle" if "Subtitle" in w.style_ids else "Normal", bold=True)
        w.table(None, [[_("Organization"), record.workspace.name],
                       [_("Data protection officer"), _person(record.dpo)],
                       [_("Date"), date_format(record.date, "DATE_FORMAT")]], [5, 11])
        w.heading(1, _("Summary"))
        w.table([_("No."), _("Activity"), _("Legal basis"), _("DPIA")],
                [[str(v.number), v.activity.name, v.activity.get_legal_basis_display(),
                  v.activity.get_dpia_status_display()] for v in record.items], [1.2, 8, 5, 3])
        for view in record.items:
            w.page_break()
            w.heading(1, f"{view.number}. {view.activity.name}")
            rows: list[list[str]] = []
            for heading, value in activity_rows(view):
                if value is None:
                    if rows:
                        w.table(None, rows, [6, 10])
                        rows = []
                    w.heading(2, heading)
                else:
                    rows.append([heading, value or "—"])
            if rows:
                w.table(None, rows, [6, 10])
        props = doc.core_properties
        props.title = f"{_('Record of processing activities')} — {record.workspace.name}"
        props.language = language
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def render(record: Record, fmt: str) -> bytes:
    return {"xlsx": render_xlsx, "html": render_html, "docx": render_docx}[fmt](record)


CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
