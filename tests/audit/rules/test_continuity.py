"""Each continuity rule fires on a minimal workspace and passes on a corrected one."""

import pytest

from tests.audit.helpers import check_fires, check_passes, with_

pytestmark = pytest.mark.django_db


def _service(apps, criticality=3, **extra):
    return [{"slug": "svc", "name": "Svc", "criticality": criticality, "applications": apps, **extra}]


def test_con001_single_machine():
    assets = [{"slug": "host", "name": "Host", "kind": "server"},
              {"slug": "vm1", "name": "VM1", "kind": "virtual-machine", "host": "host"},
              {"slug": "vm2", "name": "VM2", "kind": "virtual-machine", "host": "host"},
              {"slug": "other", "name": "Other", "kind": "server"}]
    one_host = {"assets": assets, "services": _service(["a", "b"]),
                "applications": [{"slug": "a", "name": "A", "kind": "custom", "runs_on": ["vm1"]},
                                 {"slug": "b", "name": "B", "kind": "custom", "runs_on": ["vm2"]}]}
    check_fires("CON-001", one_host, "svc")  # two VMs, one host: one machine
    two_hosts = with_(one_host, applications=[
        {"slug": "a", "name": "A", "kind": "custom", "runs_on": ["vm1"]},
        {"slug": "b", "name": "B", "kind": "custom", "runs_on": ["other"]}])
    check_passes("CON-001", two_hosts)


def test_con002_single_application_without_alternative():
    apps = [{"slug": "a", "name": "A", "kind": "saas", "category": "email"},
            {"slug": "b", "name": "B", "kind": "saas", "category": "email", "status": "retired"}]
    doc = {"applications": apps, "services": _service(["a"])}
    check_fires("CON-002", doc, "svc")
    apps_alt = [apps[0], {**apps[1], "status": "approved"}]
    check_passes("CON-002", {"applications": apps_alt, "services": _service(["a"])})
    check_passes("CON-002", {"applications": apps_alt, "services": _service(["a", "b"])})


def test_con003_rto_without_backup_document():
    doc = {"services": [{"slug": "s", "name": "S", "rto_hours": 4}]}
    check_fires("CON-003", doc, "s")
    check_passes("CON-003", {**doc, "documents": [{"slug": "b", "name": "B", "kind": "backup-restore",
                                                   "about": ["service:s"]}]})


def test_con004_end_of_support_under_critical_service():
    apps = [{"slug": "a", "name": "A", "kind": "on-premises", "end_of_support": "2025-12-31"}]
    check_fires("CON-004", {"applications": apps, "services": _service(["a"])}, "a")
    check_passes("CON-004", {"applications": [{**apps[0], "end_of_support": "2026-03-01"}],
                             "services": _service(["a"])})


def test_con005_end_of_life_machine_under_critical_service():
    assets = [{"slug": "host", "name": "Host", "kind": "server", "end_of_life": "2025-01-01"},
              {"slug": "vm", "name": "VM", "kind": "virtual-machine", "host": "host", "end_of_life": "2030-01-01"}]
    doc = {"assets": assets, "services": _service(["a"]),
           "applications": [{"slug": "a", "name": "A", "kind": "custom", "runs_on": ["vm"]}]}
    check_fires("CON-005", doc, "host")  # the host of the VM the service runs on
    assets_ok = [{**assets[0], "end_of_life": "2027-01-01"}, assets[1]]
    check_passes("CON-005", with_(doc, assets=assets_ok))


def test_con006_critical_service_without_rto():
    check_fires("CON-006", {"services": _service([])}, "svc")
    check_passes("CON-006", {"services": _service([], rto_hours=8)})


def test_con007_critical_service_outside_continuity_plan():
    check_fires("CON-007", {"services": _service([])}, "svc")
    linked = {"services": _service([]), "documents": [{"slug": "pca", "name": "PCA", "kind": "continuity-plan",
                                                       "about": ["service:svc"]}]}
    check_passes("CON-007", linked)
    general = {"services": _service([]), "documents": [{"slug": "pca", "name": "PCA", "kind": "continuity-plan"}]}
    check_passes("CON-007", general)


def test_con008_dependency_on_retired_application():
    apps = [{"slug": "a", "name": "A", "kind": "custom", "depends_on": ["old"]},
            {"slug": "old", "name": "Old", "kind": "custom", "status": "retired"}]
    check_fires("CON-008", {"applications": apps, "services": _service(["a"])}, "a")
    apps_ok = [apps[0], {**apps[1], "status": "approved"}]
    check_passes("CON-008", {"applications": apps_ok, "services": _service(["a"])})


def test_con009_critical_service_without_applications():
    check_fires("CON-009", {"services": _service([])}, "svc")
    check_passes("CON-009", {"applications": [{"slug": "a", "name": "A", "kind": "saas"}],
                             "services": _service(["a"])})
