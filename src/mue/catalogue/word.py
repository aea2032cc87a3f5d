"""The service contract as an editable DOCX, written into a Word template like the audit report.

The template mechanism is the report's (:mod:`mue.reports.word`): the shipped French and English
templates, or the user's own (``--template``), give the styles, page set-up, header and footer; the
body is replaced by the contract. So an organization restyles its contracts and its reports alike.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

from mue.catalogue.content import ContractContent, ServiceTerms
from mue.reports.word import Writer, _open_template, _run


def render_docx(content: ContractContent, template: Path | None = None) -> bytes:
    """The contract as DOCX bytes (raises :class:`mue.reports.word.TemplateError` for a bad template)."""
    doc = _open_template(template, content.language)
    with translation.override(content.language):
        w = Writer(doc)
        _cover(w, content)
        _summary(w, content)
        if content.services:
            w.heading(1, _("Levels by service"))
        for terms in content.services:
            _service(w, content, terms)
        _responsibilities(w, content)
        _signatures(w, content)
        props = doc.core_properties
        props.title = _("Service contract — %(unit)s") % {"unit": content.unit_name}
        props.subject, props.author = content.organization, "Mue"
        props.language = content.language
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def _cover(w: Writer, c: ContractContent) -> None:
    w.p(_("Service contract").upper(), "Mue Muted")
    w.p(c.unit_name, "Title")
    w.p(c.organization, "Subtitle")
    w.table(None, [[_("Between"), ", ".join(c.it_units) or _("IT")], [_("And"), c.unit_name],
                   [_("Version"), c.version_label], [_("Date"), c.generated], [_("Review date"), c.review_date]],
            [1, 3])
    w.p(_("This contract states the levels at which IT delivers each digital service the unit uses, what each "
          "side commits to, whom to call, and what the services cost the unit. It is reviewed together at the "
          "review date."))


def _summary(w: Writer, c: ContractContent) -> None:
    w.heading(1, _("Services covered"))
    if not c.services:
        w.p(_("The register lists no live service used by this unit: name the unit among the units served of its "
              "services."))
        return
    rows = [[s.name, str(s.criticality or "—"), s.availability, s.support_hours, s.rto,
             c.money(s.cost)] for s in c.services]
    rows.append([_("Total"), "", "", "", "", c.money(c.total_cost)])
    w.table([_("Service"), _("Criticality"), _("Availability"), _("Hours of support"), _("RTO"),
             _("Cost %(year)s") % {"year": c.cost_year}], rows, [3.6, 1.3, 1.5, 2.8, 0.9, 1.6])
    w.p(c.cost_note, "Mue Muted")
    if c.breaches:
        colon = " : " if c.language == "fr" else ": "  # French typography: a space before the colon
        w.heading(2, _("Levels that cannot be kept yet"))
        w.p(_("The feasibility check found promises that what the services rest on cannot deliver. Each names the "
              "weakest dependency and the path to it; settle them before signing, or lower the promise."))
        w.table([_("Service"), _("Breach"), _("Path")],
                [[b.service_name, b.title + colon + b.message, b.path_text] for b in c.breaches], [2, 4, 3])


def _service(w: Writer, c: ContractContent, s: ServiceTerms) -> None:
    w.heading(2, s.name)
    if s.description:
        w.p(s.description)
    if not s.agreed:
        w.p(_("No service level is agreed for this service yet: IT commits to its best effort, and to the RTO and "
              "RPO of the register where they are stated."), "Mue Interest")
    w.table(None, [[_("Availability target"), s.availability], [_("Hours of service"), s.service_hours],
                   [_("Hours of support"), s.support_hours], [_("Support team"), s.support_team],
                   [_("Maximum outage (RTO)"), s.rto], [_("Maximum data loss (RPO)"), s.rpo],
                   [_("Cost to the unit (%(year)s)") % {"year": c.cost_year}, c.money(s.cost)]], [2, 3])
    if s.targets:
        w.heading(3, _("Incident response and resolution"))
        w.table([_("Priority"), _("Response"), _("Resolution")],
                [[t.priority, t.response, t.resolution] for t in s.targets], [2, 1, 1])
    if s.it_commitments or s.business_commitments:
        w.heading(3, _("Commitments"))
        rows = []
        if s.it_commitments:
            rows.append([_("IT"), s.it_commitments])
        if s.business_commitments:
            rows.append([c.unit_name, s.business_commitments])
        w.table(None, rows, [1, 4])
    if s.contacts:
        w.heading(3, _("Contacts"))
        w.table(None, [[role, who] for role, who in s.contacts], [1, 3])
    for b in s.breaches:
        w.append(w.para(_run("⚠ " + b.title + " — ", bold=True) + _run(b.message + " (" + b.path_text + ")"),
                        "Mue Interest"))


def _responsibilities(w: Writer, c: ContractContent) -> None:
    w.heading(1, _("Responsibilities"))
    w.heading(2, _("IT"))
    w.bullets(c.general_it)
    w.heading(2, c.unit_name)
    w.bullets(c.general_business)


def _signatures(w: Writer, c: ContractContent) -> None:
    w.heading(1, _("Sign-off"))
    w.table([_("Side"), _("Name"), _("Signed off on")], [[side, who, when] for side, who, when in c.signatures],
            [1.5, 3, 1.5])
