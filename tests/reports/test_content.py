"""What every form of the report says: open high findings, the plan's order, the licence, the interests."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mue.audit.models import Finding
from mue.reports.actions import ordered, priority
from mue.reports.content import build_content, object_label
from mue.reports.models import Action, InformationRequest, Interest, RequestRecipient
from mue.reports.services import generate
from mue.vendors.models import ExternalParty
from tests.reports.conftest import docx_text, html_text


def _both(draft) -> tuple[str, str]:
    return "\n".join(docx_text(generate(draft, "docx"))), html_text(generate(draft, "html"))


def _space(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_report_lists_every_open_high_and_critical_finding(draft):
    draft.language = "en"
    draft.save()
    serious = Finding.objects.filter(run=draft.run, status="open", severity__in=["high", "critical"])
    assert serious.count() >= 10
    docx, html = _both(draft)
    for f in serious:
        label = object_label(f.object_type, f.object_name, f.object_slug)
        assert label in docx, label
        assert _space(label) in _space(html), label
    # A waived finding is not among the findings to address, but listed with its reason.
    assert "Accepted risks" in docx


def test_action_plan_order_is_priority_then_manual_positions(draft):
    actions = list(Action.objects.filter(report=draft))
    plan = ordered(actions)
    priorities = [priority(a) for a in plan]
    assert priorities == sorted(priorities, reverse=True) and priorities[0] > priorities[-1]
    content = build_content(draft)
    assert [a.rule_id for a in content.actions] == [a.rule_id for a in plan]
    assert [a.rule_id for a in content.urgent] == [a.rule_id for a in plan[:5]]
    # The advisor puts the last action first; it comes first in every form.
    last = plan[-1]
    last.position, last.owner = 1, "Direction générale des services"
    last.save()
    docx = docx_text(generate(draft, "docx"))
    rows = [line for line in docx if re.search(r"\(([A-Z]{3}-\d{3})\)", line)]
    first_action = next(line for line in rows if f"({last.rule_id})" in line)
    assert docx.index(first_action) < min(docx.index(line) for line in rows if f"({plan[0].rule_id})" in line)
    assert build_content(draft).actions[0].owner == "Direction générale des services"


def test_executive_summary_says_score_and_change(valmont, draft):
    from mue.audit.engine import run_audit
    from mue.demo import today
    from mue.reports.services import current_draft

    draft.language = "en"
    draft.save()
    content = build_content(draft)
    assert content.score is not None and content.previous_score is None
    assert any("first audit" in p for p in content.summary)
    run_audit(valmont, as_of=today(), store=True)
    following = current_draft(valmont)
    following.language = "en"
    second = build_content(following)
    assert second.previous_score == content.score
    assert any("previous audit" in p for p in second.summary)


@pytest.mark.parametrize("licence,language,url,name", [
    ("cc-by-4.0", "en", "https://creativecommons.org/licenses/by/4.0/legalcode", "Attribution 4.0 International"),
    ("cc-by-sa-4.0", "fr", "https://creativecommons.org/licenses/by-sa/4.0/legalcode.fr", "CC BY-SA"),
    ("cc-by-nc-sa-4.0", "en", "https://creativecommons.org/licenses/by-nc-sa/4.0/legalcode", "NonCommercial"),
])
def test_licence_with_its_legal_code(draft, licence, language, url, name, compiled):
    draft.licence, draft.language = licence, language
    draft.save()
    docx, html = _both(draft)
    assert url in docx and url in html
    content = build_content(draft)
    assert content.licence_text.url == url
    if language == "en":
        assert name in docx
    else:  # the French name of the licence
        assert "Partage dans les mêmes conditions" in docx


def test_no_licence_says_all_rights_reserved(draft):
    draft.licence, draft.language = "none", "en"
    draft.save()
    docx, html = _both(draft)
    assert "all rights reserved" in docx and "creativecommons.org" not in docx + html


def test_interests_none_declared(draft):
    draft.language = "en"
    draft.save()
    docx, html = _both(draft)
    assert "None declared" in docx and "None declared" in html


def test_interests_listed_and_shown_next_to_what_names_the_vendor(valmont, draft):
    draft.language = "en"
    draft.save()
    # A vendor whose application has an open finding.
    finding = Finding.objects.filter(run=draft.run, status="open", object_type="application").exclude(
        severity="info").first()
    from mue.applications.models import Application

    app = Application.objects.get(workspace=valmont, slug=finding.object_slug)
    if app.vendor is None:
        app.vendor = ExternalParty.objects.filter(workspace=valmont).first()
        app.save()
    Interest.objects.create(workspace=valmont, advisor="Claire Martin", party=app.vendor, nature="commission",
                            percentage="8", note="Apporteur d'affaires")
    Interest.objects.create(workspace=valmont, advisor="Claire Martin", party=app.vendor, nature="reseller",
                            start="2000-01-01", end="2001-01-01")  # no longer in force
    request = InformationRequest.objects.create(workspace=valmont, subject="Reversibility", sent_on="2026-01-10",
                                                question="How do we get our data back?")
    RequestRecipient.objects.create(request=request, party=app.vendor, answer="CSV export on request",
                                    answered_on="2026-02-01")
    content = build_content(draft)
    assert [i.what for i in content.interests] == ["Commission, 8 %"]
    note = f"Declared interest: Claire Martin in {app.vendor.name} (Commission, 8 %)"
    lines = [line for d in content.findings for r in d.rules for line in r.lines
             if line.object_label.endswith(f"({app.slug})")]
    assert lines and all(note in line.notes for line in lines)
    assert any(note in a.notes for a in content.actions if f"application:{app.slug}" in a.targets)
    docx, html = _both(draft)
    assert "None declared" not in docx
    assert note in docx and note in html
    assert "CSV export on request" in docx and "Reversibility" in html


def test_content_queries_do_not_grow_with_the_register(valmont, draft):
    from mue.interchange.importer import import_document

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            build_content(draft)
        return len(ctx.captured_queries)

    microsoft = ExternalParty.objects.get(workspace=valmont, slug="microsoft")
    Interest.objects.create(workspace=valmont, advisor="A", party=microsoft, nature="partnership")
    before = count()
    import_document({"workspace": {"slug": "valmont", "name": "Commune de Valmont"},
                     "applications": [{"slug": f"extra-{i}", "name": f"Extra {i}", "kind": "saas",
                                       "vendor": "microsoft"} for i in range(40)],
                     "contracts": [{"slug": f"c-{i}", "name": f"C {i}", "vendor": "microsoft", "end": "2027-01-01"}
                                   for i in range(10)]}, source="extra.yaml")
    Interest.objects.create(workspace=valmont, advisor="B", party=microsoft, nature="reseller")
    assert count() == before
