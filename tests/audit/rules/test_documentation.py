"""Each documentation rule fires on a minimal workspace and passes on a corrected one."""

import pytest

from tests.audit.helpers import PEOPLE, check_fires, check_passes

pytestmark = pytest.mark.django_db

CRITICAL = {"people": PEOPLE,
            "applications": [{"slug": "app", "name": "App", "kind": "saas", "owner": "alice"}],
            "services": [{"slug": "svc", "name": "Svc", "criticality": 3, "applications": ["app"],
                          "business_owner": "alice", "backup_owner": "bob"}]}


def _doc(kind, about="service:svc", **extra):
    return {**CRITICAL, "documents": [{"slug": "d", "name": "D", "kind": kind, "about": [about], **extra}]}


def test_doc001_critical_service_without_procedure():
    check_fires("DOC-001", _doc("architecture"), "svc")
    check_passes("DOC-001", _doc("procedure", about="application:app"))


def test_doc001_ignores_low_criticality():
    doc = {"services": [{"slug": "svc", "name": "Svc", "criticality": 2}]}
    from tests.audit.helpers import evaluate

    result, failing = evaluate("DOC-001", doc)
    assert result.status == "not-applicable" and not failing


def test_doc002_critical_service_without_backup_document():
    check_fires("DOC-002", _doc("procedure"), "svc")
    check_passes("DOC-002", _doc("backup-restore"))


def test_doc003_application_without_owner():
    check_fires("DOC-003", {"applications": [{"slug": "a", "name": "A", "kind": "saas"}]}, "a")
    check_passes("DOC-003", {"people": PEOPLE,
                             "applications": [{"slug": "a", "name": "A", "kind": "saas", "owner": "alice"},
                                              {"slug": "b", "name": "B", "kind": "saas", "status": "retired"}]})


def test_doc004_service_without_backup_owner():
    check_fires("DOC-004", {"people": PEOPLE, "services": [{"slug": "s", "name": "S", "business_owner": "alice"}]},
                "s")
    check_passes("DOC-004", CRITICAL)


def test_doc005_backup_owner_is_owner():
    same = {"people": PEOPLE, "services": [{"slug": "s", "name": "S", "business_owner": "alice",
                                            "backup_owner": "alice"}]}
    check_fires("DOC-005", same, "s")
    check_passes("DOC-005", CRITICAL)


def test_doc006_document_not_reviewed_for_two_years():
    check_fires("DOC-006", _doc("procedure", last_reviewed="2024-02-28"), "d")
    check_fires("DOC-006", _doc("procedure"), "d")  # never reviewed
    check_passes("DOC-006", _doc("procedure", last_reviewed="2024-03-01"))


def test_doc007_service_without_business_owner():
    check_fires("DOC-007", {"services": [{"slug": "s", "name": "S"}]}, "s")
    check_passes("DOC-007", CRITICAL)


def test_doc008_critical_service_without_architecture():
    check_fires("DOC-008", _doc("procedure"), "svc")
    check_passes("DOC-008", _doc("architecture"))


def test_doc009_server_without_admin_accounts():
    base = {"assets": [{"slug": "srv", "name": "Srv", "kind": "server"}],
            "applications": [{"slug": "app", "name": "App", "kind": "on-premises", "runs_on": ["srv"]}]}
    check_fires("DOC-009", base, "srv")
    check_passes("DOC-009", {**base, "documents": [{"slug": "acc", "name": "Accounts", "kind": "admin-accounts",
                                                     "about": ["asset:srv"]}]})


def test_doc010_document_without_owner():
    check_fires("DOC-010", _doc("procedure"), "d")
    check_passes("DOC-010", _doc("procedure", owner="alice"))


def test_doc011_document_without_location():
    check_fires("DOC-011", _doc("procedure"), "d")
    check_passes("DOC-011", _doc("procedure", url="https://intranet/proc.pdf"))


def test_doc008_and_doc009_accept_an_organization_wide_document():
    doc = {**CRITICAL, "assets": [{"slug": "srv", "name": "Srv", "kind": "server"}],
           "applications": [{"slug": "app", "name": "App", "kind": "saas", "owner": "alice", "runs_on": ["srv"]}],
           "documents": [{"slug": "si", "name": "SI", "kind": "architecture"},
                         {"slug": "acc", "name": "Accounts", "kind": "admin-accounts"}]}
    check_passes("DOC-008", doc)
    check_passes("DOC-009", doc)


def test_doc009_accepts_accounts_recorded_for_an_application_on_the_server():
    doc = {"assets": [{"slug": "srv", "name": "Srv", "kind": "server"}],
           "applications": [{"slug": "ad", "name": "AD", "kind": "on-premises", "runs_on": ["srv"]}],
           "documents": [{"slug": "acc", "name": "Accounts", "kind": "admin-accounts", "about": ["application:ad"]}]}
    check_passes("DOC-009", doc)


def _contracts(*values, expected=True):
    """Two contracts, with the given values of the custom field ``marche`` (None: no value)."""
    return {"parties": [{"slug": "v", "name": "V", "kind": "vendor"}],
            "custom_fields": [{"slug": "marche", "name": "Marché", "object_type": "contracts", "kind": "text",
                               "expected": expected}],
            "contracts": [{"slug": f"c{i}", "name": f"C{i}", "vendor": "v",
                           **({"custom": {"marche": value}} if value is not None else {})}
                          for i, value in enumerate(values)]}


def test_doc012_expected_custom_field_left_empty():
    check_fires("DOC-012", _contracts("2024-17", None), "marche")
    check_passes("DOC-012", _contracts("2024-17", "2025-03"))


def test_doc012_evidence_counts_and_names_the_objects_without_value():
    from mue.audit.engine import evaluate_rule
    from mue.audit.rules import get_rule
    from mue.audit.rules.base import AuditContext
    from tests.audit.helpers import AS_OF, load

    workspace = load(_contracts("2024-17", None, None))
    result, findings = evaluate_rule(get_rule("DOC-012"), AuditContext(workspace=workspace, as_of=AS_OF))
    (finding,) = findings
    assert finding.evidence["objects_without_value"] == 2
    assert finding.evidence["first_of_them"] == "c1, c2"


def test_doc012_ignores_fields_not_expected():
    from tests.audit.helpers import evaluate

    result, failing = evaluate("DOC-012", _contracts(None, None, expected=False))
    assert result.status == "not-applicable" and not failing
