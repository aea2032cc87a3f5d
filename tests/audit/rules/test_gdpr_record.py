"""Each rule checking the GDPR record against the map fires on a minimal workspace and passes once fixed."""

import pytest

from tests.audit.helpers import check_fires, check_passes, evaluate, with_

pytestmark = pytest.mark.django_db

DATA = [{"slug": "families", "name": "Families", "personal_data": "personal", "retention_months": 24},
        {"slug": "health", "name": "Health", "personal_data": "sensitive", "classification": "confidential"},
        {"slug": "budget", "name": "Budget", "personal_data": "none"}]
PARTIES = [{"slug": "v", "name": "Vendor", "kind": "vendor", "country": "US"}]
APPS = [{"slug": "portal", "name": "Portal", "kind": "saas", "vendor": "v", "hosting_country": "US",
         "data": ["families"]},
        {"slug": "local", "name": "Local", "kind": "on-premises", "hosting_country": "FR"}]
ACTIVITY = {"slug": "school", "name": "School", "applications": ["portal"], "data": ["families"]}


def _doc(**activity):
    return {"data_categories": DATA, "parties": PARTIES, "applications": APPS,
            "processing_activities": [{**ACTIVITY, **activity}]}


def test_dat101_hosted_outside_eu_without_transfer():
    check_fires("DAT-101", _doc(), "school")
    # A transfer to the country with no safeguard is not enough; one with its safeguard is.
    transfer = {"slug": "t", "name": "T", "activity": "school", "country": "US", "recipient": "v"}
    check_fires("DAT-101", with_(_doc(), transfers=[transfer]), "school")
    check_passes("DAT-101", with_(_doc(), transfers=[{**transfer, "country": "us", "safeguard": "scc"}]))


def test_dat101_transfer_to_another_country_does_not_count():
    transfer = {"slug": "t", "name": "T", "activity": "school", "country": "IN", "safeguard": "scc"}
    check_fires("DAT-101", with_(_doc(), transfers=[transfer]), "school")


def test_dat101_drafts_are_not_judged_and_no_record_is_inactive():
    result, failing = evaluate("DAT-101", _doc(status="draft"))
    assert result.status == "inactive" and not failing


def test_dat102_personal_data_not_in_record():
    doc = _doc(data=[])
    check_fires("DAT-102", doc, "families")
    _, failing = evaluate("DAT-102", doc)
    assert "budget" not in failing  # not personal data
    check_passes("DAT-102", _doc(data=["families", "health"]))


def test_dat102_a_draft_does_not_cover():
    doc = with_(_doc(data=["families", "health"]),
                processing_activities=[{**ACTIVITY, "data": ["health"]},
                                       {"slug": "d", "name": "Draft", "status": "draft", "data": ["families"]}])
    check_fires("DAT-102", doc, "families")


def test_dat103_vendor_without_dpa():
    check_fires("DAT-103", _doc(), "school")
    signed = [{"slug": "c", "name": "C", "vendor": "v", "dpa_signed": True}]
    check_passes("DAT-103", with_(_doc(), contracts=signed))


def test_dat103_recipient_and_flow_target():
    doc = _doc(applications=["local"], recipients=["v"])
    check_fires("DAT-103", doc, "school")
    doc = with_(_doc(applications=["local"], flows=["f"]),
                flows=[{"slug": "f", "from": "local", "to": "party:v", "data": ["families"], "encrypted": True}])
    check_fires("DAT-103", doc, "school")


def _classified(level):
    return {"data_categories": DATA, "parties": PARTIES, "applications": APPS,
            "services": [{"slug": "s", "name": "S", "applications": ["portal"], "needs": {"confidentiality": level}}],
            "flows": [{"slug": "f", "from": "local", "to": "portal", "data": ["health"], "encrypted": True}]}


def test_dat104_sensitive_data_to_lower_classification():
    check_fires("DAT-104", _classified(2), "f")
    check_passes("DAT-104", _classified(3))


def test_dat104_unknown_classification_is_not_judged():
    doc = _classified(2)
    doc["services"][0]["needs"] = {}
    result, failing = evaluate("DAT-104", doc)
    assert result.scope == 0 and not failing


def _retention(**rule):
    return with_(_doc(), retention_rules=[{"slug": "r", "name": "R", "activity": "school", "data": "families",
                                           "retention_months": 24, **rule}])


def test_dat105_retention_without_purge_procedure():
    check_fires("DAT-105", _retention(), "r")
    check_passes("DAT-105", _retention(purge_procedure="Purge annuelle par le service, procès-verbal"))
    doc = with_(_retention(purge_document="purge"),
                documents=[{"slug": "purge", "name": "Purge", "kind": "procedure"}])
    check_passes("DAT-105", doc)


CRITERIA = ("evaluation", "automated_decision", "monitoring", "sensitive", "large_scale", "matching",
            "vulnerable", "innovative", "prevents_right")


@pytest.mark.parametrize("criterion", CRITERIA)
def test_dat106_each_wp248_criterion_counts(criterion):
    """Each criterion, with one other, makes a DPIA likely required; alone it does not."""
    other = "vulnerable" if criterion != "vulnerable" else "sensitive"
    check_fires("DAT-106", _doc(dpia_criteria={criterion: True, other: True}), "school")
    result, failing = evaluate("DAT-106", _doc(dpia_criteria={criterion: True}))
    assert result.scope == 0 and not failing


def test_dat106_dpia_done_passes_and_in_progress_does_not():
    two = {"monitoring": True, "large_scale": True}
    check_fires("DAT-106", _doc(dpia_criteria=two, dpia_status="in-progress"), "school")
    check_fires("DAT-106", _doc(dpia_criteria=two, dpia_status="not-needed"), "school")
    check_passes("DAT-106", _doc(dpia_criteria=two, dpia_status="done", dpia_date="2025-05-01"))


def test_dat106_type_on_the_cnil_list_needs_a_dpia_whatever_the_criteria():
    check_fires("DAT-106", _doc(dpia_required_type="gdpr-public-area-monitoring"), "school")


def test_dat107_activity_on_retired_application():
    apps = [APPS[0], {**APPS[1], "status": "retired"}]
    doc = with_(_doc(applications=["portal", "local"]), applications=apps)
    check_fires("DAT-107", doc, "school")
    check_passes("DAT-107", _doc())
