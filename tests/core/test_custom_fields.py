"""Custom fields: definitions as register objects, values checked and merged by the one importer,
exported and read back, logged, and forgotten with their field."""

from __future__ import annotations

import pytest

from mue.applications.models import Application
from mue.core.models import ChangeLogEntry, CustomField
from mue.interchange.exporter import export_workspace
from mue.interchange.importer import ImportFailed, import_document

pytestmark = pytest.mark.django_db

FIELDS = [
    {"slug": "marche", "name": "Public contract number", "object_type": "applications", "kind": "text"},
    {"slug": "budget", "name": "Budget line", "object_type": "applications", "kind": "number"},
    {"slug": "rgaa", "name": "RGAA conformity", "object_type": "applications", "kind": "choice",
     "choices": ["total", "partial", "none"], "expected": True},
    {"slug": "audited-on", "name": "Audited on", "object_type": "applications", "kind": "date"},
    {"slug": "hosted-in-eu", "name": "Hosted in the EU", "object_type": "applications", "kind": "boolean"},
    {"slug": "reseller", "name": "Reseller", "object_type": "applications", "kind": "link",
     "target_type": "parties"},
]


def document(**custom) -> dict:
    return {"workspace": {"slug": "cf", "name": "Custom"},
            "custom_fields": FIELDS,
            "parties": [{"slug": "integra", "name": "Integra"}],
            "applications": [{"slug": "crm", "name": "CRM", "kind": "saas", "custom": custom}]}


def problems(exc: ImportFailed) -> list[tuple[str, str]]:
    return [(p.field, p.message) for p in exc.problems]


def test_a_file_defines_fields_and_fills_them_values_read_as_people_write_them():
    report = import_document(document(marche="2024-17", budget="1 200,50", rgaa="Partial", **{
        "audited-on": "31/12/2026", "hosted-in-eu": "oui", "reseller": "integra"}))
    crm = Application.objects.get(slug="crm")
    assert crm.custom == {"audited-on": "2026-12-31", "budget": 1200.5, "hosted-in-eu": True, "marche": "2024-17",
                          "reseller": "integra", "rgaa": "partial"}
    assert CustomField.objects.filter(workspace__slug="cf").count() == 6
    notes = " ".join(report.notes)
    assert "'1 200,50' read as 1200.5" in notes and "'Partial' read as 'partial'" in notes


def test_values_are_refused_with_their_field_and_reason_and_nothing_is_written():
    with pytest.raises(ImportFailed) as failed:
        import_document(document(budget="a lot", rgaa="maybe", reseller="nobody", colour="red",
                                 **{"audited-on": "2026-02-30", "hosted-in-eu": "perhaps"}))
    found = problems(failed.value)
    fields = {f for f, _m in found}
    assert {"custom.budget", "custom.rgaa", "custom.reseller", "custom.colour", "custom.audited-on",
            "custom.hosted-in-eu"} <= fields
    messages = dict(found)
    assert "not a number" in messages["custom.budget"]
    assert "allowed: total, partial, none" in messages["custom.rgaa"]
    assert "unknown external party 'nobody'" in messages["custom.reseller"]
    assert "no custom field 'colour' for applications" in messages["custom.colour"]
    assert not CustomField.objects.exists() and not Application.objects.exists()


def test_a_text_value_says_its_limit():
    with pytest.raises(ImportFailed) as failed:
        import_document(document(marche="x" * 1001))
    assert "at most 1000 characters, got 1001" in dict(problems(failed.value))["custom.marche"]


def test_definitions_that_cannot_work_are_refused():
    doc = {"workspace": {"slug": "cf", "name": "Custom"}, "custom_fields": [
        {"slug": "a.b", "name": "Dotted", "object_type": "applications"},
        {"slug": "pick", "name": "Pick", "object_type": "applications", "kind": "choice"},
        {"slug": "to", "name": "To", "object_type": "applications", "kind": "link"},
        {"slug": "odd", "name": "Odd", "object_type": "applications", "target_type": "parties"},
        {"slug": "self", "name": "Self", "object_type": "custom_fields"},
    ]}
    with pytest.raises(ImportFailed) as failed:
        import_document(doc)
    text = " | ".join(m for _f, m in problems(failed.value))
    assert "no dots" in text and "a choice needs its allowed values" in text
    assert "a link needs the type" in text and "only a link has a linked type" in text
    assert "'custom_fields' is not an allowed value" in text or "custom fields cannot have custom fields" in text


def test_an_update_changes_the_values_it_gives_keeps_the_others_and_null_clears():
    import_document(document(marche="2024-17", budget=100, rgaa="total"))
    import_document({"workspace": {"slug": "cf", "name": "Custom"},
                     "applications": [{"slug": "crm", "name": "CRM", "custom": {"budget": 250, "marche": None}}]})
    assert Application.objects.get(slug="crm").custom == {"budget": 250, "rgaa": "total"}
    entry = ChangeLogEntry.objects.filter(object_slug="crm", action="update").get()
    assert entry.before["custom"] == {"budget": 100, "marche": "2024-17", "rgaa": "total"}
    assert entry.after["custom"] == {"budget": 250, "rgaa": "total"}


def test_reimporting_the_same_values_changes_nothing():
    import_document(document(budget=100))
    report = import_document(document(budget="100"))
    assert not report.changed


def test_export_carries_definitions_and_values_and_reads_back_identical():
    import_document(document(marche="2024-17", budget=12.5, rgaa="none", reseller="integra",
                             **{"hosted-in-eu": False, "audited-on": "2026-01-15"}))
    from mue.core.models import Workspace

    exported = export_workspace(Workspace.objects.get(slug="cf"))
    assert [f["slug"] for f in exported["custom_fields"]] == sorted(f["slug"] for f in FIELDS)
    crm = next(a for a in exported["applications"] if a["slug"] == "crm")
    assert crm["custom"] == {"audited-on": "2026-01-15", "budget": 12.5, "hosted-in-eu": False, "marche": "2024-17",
                             "reseller": "integra", "rgaa": "none"}
    exported["workspace"]["slug"] = "cf-copy"
    import_document(exported)
    assert export_workspace(Workspace.objects.get(slug="cf-copy"))["applications"] == exported["applications"]


def test_a_field_holding_values_keeps_its_kind_and_its_used_choices():
    import_document(document(rgaa="partial", budget=3))
    changed = [dict(f, kind="text") if f["slug"] == "budget" else
               dict(f, choices=["total", "none"]) if f["slug"] == "rgaa" else f for f in FIELDS]
    with pytest.raises(ImportFailed) as failed:
        import_document({"workspace": {"slug": "cf", "name": "Custom"}, "custom_fields": changed})
    text = " | ".join(m for _f, m in problems(failed.value))
    assert "1 applications hold values of this field: it keeps its kind" in text
    assert "values still held by objects cannot be removed: partial" in text


def test_deleting_a_field_forgets_its_values_and_logs_it():
    import_document(document(marche="2024-17", budget=3))
    CustomField.objects.get(slug="budget").delete()
    assert Application.objects.get(slug="crm").custom == {"marche": "2024-17"}
    entry = ChangeLogEntry.objects.filter(object_slug="crm", action="update").get()
    assert entry.after["custom"] == {"marche": "2024-17"}
