"""Each security rule fires on a minimal workspace and passes on a corrected one."""

import pytest

from tests.audit.helpers import check_fires, check_passes, evaluate, with_

pytestmark = pytest.mark.django_db

DATA = [{"slug": "fam", "name": "Families", "personal_data": "personal"},
        {"slug": "secret", "name": "Deliberations", "classification": "confidential"}]


def test_sec001_personal_data_without_mfa():
    app = {"slug": "a", "name": "A", "kind": "saas", "data": ["fam"], "mfa": False}
    check_fires("SEC-001", {"data_categories": DATA, "applications": [app]}, "a")
    check_fires("SEC-001", {"data_categories": DATA, "applications": [{**app, "mfa": None}]}, "a")
    check_passes("SEC-001", {"data_categories": DATA, "applications": [{**app, "mfa": True}]})


def test_sec002_personal_device_reaching_confidential_data():
    doc = {"data_categories": DATA,
           "assets": [{"slug": "phone", "name": "Phone", "kind": "mobile", "personal_device": True}],
           "applications": [{"slug": "a", "name": "A", "kind": "saas", "data": ["secret"]}],
           "flows": [{"slug": "f", "from": "a", "to": "asset:phone", "data": ["secret"], "encrypted": True}]}
    check_fires("SEC-002", doc, "phone")
    check_passes("SEC-002", with_(doc, assets=[{"slug": "phone", "name": "Phone", "kind": "mobile"}]))


def test_sec002_unmanaged_workstation_running_confidential_app():
    doc = {"data_categories": DATA,
           "assets": [{"slug": "pc", "name": "PC", "kind": "workstation", "managed": False}],
           "applications": [{"slug": "a", "name": "A", "kind": "desktop", "data": ["secret"], "runs_on": ["pc"]}]}
    check_fires("SEC-002", doc, "pc")
    check_passes("SEC-002", with_(doc, assets=[{"slug": "pc", "name": "PC", "kind": "workstation"}]))


def test_sec002_personal_device_passes_once_enrolled():
    """BYOD reaching confidential data (recorded on the device) fails until it is enrolled in MDM."""
    phone = {"slug": "phone", "name": "Phone", "kind": "mobile", "personal_device": True, "managed": False,
             "data_reached": ["secret"]}
    doc = {"data_categories": DATA, "assets": [phone]}
    check_fires("SEC-002", doc, "phone")
    check_passes("SEC-002", with_(doc, assets=[{**phone, "mdm_enrolled": True}]))
    # Reaching only non-confidential data: out of scope, nothing to judge.
    result, failing = evaluate("SEC-002", with_(doc, assets=[{**phone, "data_reached": ["fam"]}]))
    assert result.scope == 0 and not failing


def test_sec003_iot_without_update_path():
    cam = {"slug": "cam", "name": "Camera", "kind": "iot-device"}
    check_fires("SEC-003", {"assets": [cam]}, "cam")
    check_fires("SEC-003", {"assets": [{**cam, "update_policy": "none"}]}, "cam")
    check_passes("SEC-003", {"assets": [{**cam, "update_policy": "vendor"}]})


def test_sec004_iot_on_shared_network():
    cam = {"slug": "cam", "name": "Camera", "kind": "iot-device"}
    check_fires("SEC-004", {"assets": [cam]}, "cam")
    check_fires("SEC-004", {"assets": [{**cam, "network_segment": "vlan-iot", "segment_isolated": False}]}, "cam")
    check_passes("SEC-004", {"assets": [{**cam, "network_segment": "vlan-iot"}]})
    check_passes("SEC-004", {"assets": [{**cam, "network_segment": "vlan-iot", "segment_isolated": True}]})


def test_sec010_iot_default_credentials():
    cam = {"slug": "cam", "name": "Camera", "kind": "iot-device"}
    check_fires("SEC-010", {"assets": [cam]}, "cam")  # nobody checked
    check_fires("SEC-010", {"assets": [{**cam, "default_credentials_changed": False}]}, "cam")
    check_passes("SEC-010", {"assets": [{**cam, "default_credentials_changed": True},
                                        {"slug": "pc", "name": "PC", "kind": "workstation"}]})


def test_sec011_personal_device_without_charter():
    phone = {"slug": "phone", "name": "Phone", "kind": "mobile", "personal_device": True}
    check_fires("SEC-011", {"assets": [phone]}, "phone")
    check_passes("SEC-011", {"assets": [{**phone, "charter_signed": "2026-01-15"},
                                        {"slug": "pc", "name": "PC", "kind": "workstation"}]})


def test_sec005_cleartext_protocol():
    apps = [{"slug": "a", "name": "A", "kind": "custom"}, {"slug": "b", "name": "B", "kind": "custom"}]
    check_fires("SEC-005", {"applications": apps, "flows": [{"slug": "f", "from": "a", "to": "b",
                                                             "protocol": "ftp"}]}, "f")
    check_passes("SEC-005", {"applications": apps, "flows": [{"slug": "f", "from": "a", "to": "b",
                                                              "protocol": "sftp"},
                                                             {"slug": "g", "from": "b", "to": "a",
                                                              "protocol": "http", "encrypted": True}]})


def test_sec006_machine_past_end_of_life():
    srv = {"slug": "srv", "name": "Srv", "kind": "server", "end_of_life": "2025-10-14"}
    check_fires("SEC-006", {"assets": [srv]}, "srv")
    check_passes("SEC-006", {"assets": [{**srv, "end_of_life": "2028-10-14"}]})


def test_sec007_unmanaged_server():
    srv = {"slug": "srv", "name": "Srv", "kind": "server", "managed": False}
    check_fires("SEC-007", {"assets": [srv]}, "srv")
    check_passes("SEC-007", {"assets": [{**srv, "managed": True}]})


def test_sec008_confidential_data_without_sso():
    app = {"slug": "a", "name": "A", "kind": "saas", "data": ["secret"]}
    check_fires("SEC-008", {"data_categories": DATA, "applications": [app]}, "a")
    check_passes("SEC-008", {"data_categories": DATA, "applications": [{**app, "sso": True}]})


def test_sec009_application_past_end_of_support():
    app = {"slug": "a", "name": "A", "kind": "desktop", "end_of_support": "2025-10-14"}
    check_fires("SEC-009", {"applications": [app]}, "a")
    check_passes("SEC-009", {"applications": [{**app, "end_of_support": "2026-10-14"}]})
