"""Review and publication: a second auditor approves, a published report never changes."""

from __future__ import annotations

import hashlib

import pytest

from mue.reports import services
from mue.reports.models import ReportFile
from mue.services.models import Service


def _to_review(draft):
    services.submit(draft)
    return draft


def test_the_author_cannot_approve_their_own_report(draft):
    _to_review(draft)
    with pytest.raises(services.ReportError, match="cannot review their own"):
        services.review(draft, verdict="approved", name="Claire Martin")


def test_publish_needs_an_approval(draft):
    with pytest.raises(services.ReportError, match="approved"):
        services.publish(draft)
    _to_review(draft)
    with pytest.raises(services.ReportError, match="approved"):
        services.publish(draft)


def test_changes_requested_send_the_report_back_to_draft(draft):
    _to_review(draft)
    with pytest.raises(services.ReportError, match="which changes"):
        services.review(draft, verdict="changes", name="Paul Reviewer")
    services.review(draft, verdict="comment", section="summary", body="Plus simple pour les élus", name="Paul")
    services.review(draft, verdict="changes", section="actions", body="Dates cibles manquantes", name="Paul")
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert [c.section for c in draft.review.all()] == ["summary", "actions"]


def test_published_report_is_frozen_and_served_byte_identical(valmont, draft):
    _to_review(draft)
    services.review(draft, verdict="approved", name="Paul Reviewer", body="Bon pour publication")
    report = services.publish(draft, formats=("docx", "html"))
    assert (report.status, report.version, report.reviewer_name) == ("published", 1, "Paul Reviewer")
    stored = {f.format: bytes(f.content) for f in ReportFile.objects.filter(report=report)}
    for f in ReportFile.objects.filter(report=report):
        assert f.sha256 == hashlib.sha256(bytes(f.content)).hexdigest() and f.size == len(bytes(f.content))
    assert b"Paul Reviewer" in stored["html"] and b"v1" in stored["html"]
    # The register changes after publication: the published files do not, a new draft does.
    Service.objects.filter(workspace=valmont, slug="etat-civil").update(name="État civil (renommé)")
    assert services.render(report, "docx") == stored["docx"]
    assert services.render(report, "html") == stored["html"]
    assert "renommé".encode() not in services.render(report, "html")
    with pytest.raises(services.ReportError, match="without a PDF"):
        services.render(report, "pdf")
    fresh = services.current_draft(valmont)
    assert fresh.pk != report.pk and fresh.status == "draft"
    assert "renommé".encode() in services.generate(fresh, "html")
    with pytest.raises(ValueError):
        from mue.reports.actions import refresh_actions

        refresh_actions(report)


def test_versions_follow_each_other(valmont, draft):
    for expected in (1, 2):
        report = services.current_draft(valmont)
        _to_review(report)
        services.review(report, verdict="approved", name="Paul")
        assert services.publish(report, formats=("html",)).version == expected
    assert services.published(valmont).version == 2
    assert services.published(valmont, 1).version == 1
