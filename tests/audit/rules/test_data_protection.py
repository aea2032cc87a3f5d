"""Each data-protection rule fires on a minimal workspace and passes on a corrected one."""

import pytest

from tests.audit.helpers import check_fires, check_passes, with_

pytestmark = pytest.mark.django_db

DATA = [{"slug": "families", "name": "Families", "personal_data": "personal", "retention_months": 24,
         "data_subjects": "families"},
        {"slug": "health", "name": "Health", "personal_data": "sensitive", "retention_months": 12,
         "data_subjects": "pupils"}]
APPS = [{"slug": "a", "name": "A", "kind": "saas", "data": ["families", "health"], "hosting_country": "FR"},
        {"slug": "b", "name": "B", "kind": "on-premises"}]


def _flow(data, encrypted, **extra):
    return {"data_categories": DATA, "applications": APPS,
            "flows": [{"slug": "f", "from": "a", "to": "b", "data": data, "protocol": "https",
                       "encrypted": encrypted, **extra}]}


def test_dat001_personal_data_unencrypted():
    check_fires("DAT-001", _flow(["families"], False), "f")
    check_fires("DAT-001", _flow(["families"], None), "f")  # unknown is not protected
    check_passes("DAT-001", _flow(["families"], True))


def test_dat002_sensitive_data_unencrypted():
    check_fires("DAT-002", _flow(["health"], False), "f")
    check_passes("DAT-002", _flow(["health"], True))


def test_dat003_personal_data_hosted_outside_eu():
    doc = {"data_categories": DATA, "applications": [{**APPS[0], "hosting_country": "US"}]}
    check_fires("DAT-003", doc, "a")
    check_passes("DAT-003", {"data_categories": DATA, "applications": [{**APPS[0], "hosting_country": "CH"}]})


def test_dat003_evidence_names_transfer_zone():
    from mue.audit.engine import run_audit
    from tests.audit.helpers import load

    ws = load({"data_categories": DATA, "applications": [{**APPS[0], "hosting_country": "US"}]})
    audit = run_audit(ws, store=False, rule_ids=["DAT-003"])
    assert audit.findings[0].evidence["transfer_zone"] == "conditional"
    assert audit.findings[0].evidence["hosting_country"] == "US"


def test_dat004_machine_outside_eu():
    doc = {"data_categories": DATA,
           "assets": [{"slug": "vm", "name": "VM", "kind": "cloud-resource", "country": "SG"}],
           "applications": [{"slug": "a", "name": "A", "kind": "custom", "data": ["families"], "runs_on": ["vm"]}]}
    check_fires("DAT-004", doc, "vm")
    check_passes("DAT-004", with_(doc, assets=[{"slug": "vm", "name": "VM", "kind": "cloud-resource",
                                                "country": "DE"}]))


def test_dat005_saas_with_unknown_hosting():
    check_fires("DAT-005", {"data_categories": DATA, "applications": [{**APPS[0], "hosting_country": ""}]}, "a")
    check_passes("DAT-005", {"data_categories": DATA, "applications": [APPS[0]]})


def test_dat006_personal_data_sent_outside_eu():
    doc = {"data_categories": DATA, "applications": APPS,
           "parties": [{"slug": "p", "name": "P", "country": "IN"}],
           "flows": [{"slug": "f", "from": "a", "to": "party:p", "data": ["families"], "encrypted": True}]}
    check_fires("DAT-006", doc, "f")
    check_passes("DAT-006", with_(doc, parties=[{"slug": "p", "name": "P", "country": "JP"}]))


def test_dat007_vendor_without_dpa():
    doc = {"data_categories": DATA, "parties": [{"slug": "v", "name": "V"}],
           "applications": [{**APPS[0], "vendor": "v"}],
           "contracts": [{"slug": "c", "name": "C", "vendor": "v", "applications": ["a"]}]}
    check_fires("DAT-007", doc, "v")
    check_passes("DAT-007", with_(doc, contracts=[{"slug": "c", "name": "C", "vendor": "v", "dpa_signed": True}]))


def test_dat007_recipient_of_personal_data_flow():
    doc = {"data_categories": DATA, "applications": APPS, "parties": [{"slug": "p", "name": "P"}],
           "flows": [{"slug": "f", "from": "a", "to": "party:p", "data": ["families"]}]}
    check_fires("DAT-007", doc, "p")


def test_dat008_personal_data_without_retention():
    check_fires("DAT-008", {"data_categories": [{"slug": "d", "name": "D", "personal_data": "personal"}]}, "d")
    check_passes("DAT-008", {"data_categories": [{"slug": "d", "name": "D", "personal_data": "personal",
                                                  "retention_note": "end of schooling + 1 year"}]})


def test_dat009_personal_data_without_subjects():
    check_fires("DAT-009", {"data_categories": [{"slug": "d", "name": "D", "personal_data": "personal"}]}, "d")
    check_passes("DAT-009", {"data_categories": DATA})


def test_dat010_personal_data_located_nowhere():
    check_fires("DAT-010", {"data_categories": DATA, "applications": [{**APPS[0], "data": ["families"]}]}, "health")
    check_passes("DAT-010", {"data_categories": DATA, "applications": APPS})


def test_dat011_contract_without_data_location_clause():
    doc = {"data_categories": DATA, "applications": [APPS[0]],
           "contracts": [{"slug": "c", "name": "C", "applications": ["a"]}]}
    check_fires("DAT-011", doc, "c")
    check_passes("DAT-011", with_(doc, contracts=[{"slug": "c", "name": "C", "applications": ["a"],
                                                   "data_location_clause": True}]))


def test_dat007_only_vendors_sign_dpas():
    doc = {"data_categories": DATA, "applications": APPS,
           "parties": [{"slug": "citizens", "name": "Citizens", "kind": "citizens"}],
           "flows": [{"slug": "f", "from": "a", "to": "party:citizens", "data": ["families"], "encrypted": True}]}
    from tests.audit.helpers import evaluate

    result, failing = evaluate("DAT-007", doc)
    assert result.scope == 0 and not failing
