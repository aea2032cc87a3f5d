"""Loading the demo workspaces: import, idempotence, replace, and dates kept current."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import models

from mue import demo
from mue.core.models import ChangeLogEntry, Workspace
from mue.core.registry import MapField, ObjectType
from mue.interchange.problems import ImportFailed

pytestmark = pytest.mark.django_db


def _pretend_today(monkeypatch, day: dt.date) -> None:
    monkeypatch.setattr(demo, "today", lambda: day)


@pytest.mark.parametrize("name", sorted(demo.DEMOS))
def test_demo_imports_and_second_load_changes_nothing(name):
    report = demo.load_demo(name)
    assert report.changed
    assert sum(report.created.values()) > 100
    ws = Workspace.objects.get(slug=name)
    entries = ChangeLogEntry.objects.filter(workspace=ws).count()
    assert entries == sum(report.created.values())

    again = demo.load_demo(name)
    assert not again.changed
    assert sum(again.unchanged.values()) == sum(report.created.values())
    assert ChangeLogEntry.objects.filter(workspace=ws).count() == entries


def test_valmont_sizes():
    from mue.applications.models import Application
    from mue.dataflows.models import DataFlow
    from mue.organization.models import Person
    from mue.services.models import Process, Service
    from mue.vendors.models import Contract, CostLine, ExternalParty

    demo.load_demo("valmont")
    ws = Workspace.objects.get(slug="valmont")
    assert ws.kind == "commune" and ws.language == "fr" and ws.population == 14800
    assert Application.objects.filter(workspace=ws).count() >= 38
    assert DataFlow.objects.filter(workspace=ws).count() >= 75
    assert Contract.objects.filter(workspace=ws).count() >= 12
    assert CostLine.objects.filter(workspace=ws).count() >= 25
    assert Service.objects.filter(workspace=ws).count() >= 18
    assert Process.objects.filter(workspace=ws).count() >= 12
    assert Person.objects.filter(workspace=ws).count() >= 25
    assert ExternalParty.objects.filter(workspace=ws).count() >= 20


def test_atelier_sizes():
    from mue.applications.models import Application
    from mue.dataflows.models import DataFlow
    from mue.organization.models import Person, Unit
    from mue.services.models import Service

    demo.load_demo("atelier")
    ws = Workspace.objects.get(slug="atelier")
    assert ws.kind == "sme" and ws.language == "en"
    assert Unit.objects.filter(workspace=ws).count() >= 6
    assert Person.objects.filter(workspace=ws).count() >= 12
    assert Service.objects.filter(workspace=ws).count() >= 8
    assert Application.objects.filter(workspace=ws).count() >= 15
    assert DataFlow.objects.filter(workspace=ws).count() >= 20


@pytest.mark.parametrize("day", [dt.date(2026, 11, 1), dt.date(2027, 1, 31), dt.date(2029, 2, 28),
                                 dt.date(2025, 6, 15)])
def test_notice_deadline_stays_thirty_days_ahead(monkeypatch, day):
    from mue.vendors.models import Contract, CostLine

    _pretend_today(monkeypatch, day)
    demo.load_demo("valmont")
    contract = Contract.objects.get(workspace__slug="valmont", slug="contrat-citysens")
    assert contract.tacit_renewal
    assert contract.end - dt.timedelta(days=contract.notice_days) == day + dt.timedelta(days=30)
    # Cost years follow the reference date: "this year" is the year the demo is loaded in.
    assert CostLine.objects.get(workspace__slug="valmont", slug="cout-microsoft-365").year == day.year
    assert CostLine.objects.get(workspace__slug="valmont", slug="cout-microsoft-365-n-1").year == day.year - 1


def test_loading_on_a_later_day_moves_dates_only(monkeypatch):
    from mue.documents.models import Document

    _pretend_today(monkeypatch, dt.date(2027, 3, 10))
    demo.load_demo("valmont")
    ws = Workspace.objects.get(slug="valmont")
    before = Document.objects.get(workspace=ws, slug="proc-mediatheque").last_reviewed
    logged = ChangeLogEntry.objects.filter(workspace=ws).count()

    _pretend_today(monkeypatch, dt.date(2027, 3, 20))
    report = demo.load_demo("valmont")
    assert report.changed
    assert Document.objects.get(workspace=ws, slug="proc-mediatheque").last_reviewed == before + dt.timedelta(days=10)
    new_entries = ChangeLogEntry.objects.filter(workspace=ws).order_by("id")[logged:]
    assert {entry.action for entry in new_entries} == {"update"}
    # Only types with dates changed; people, units, flows... have none.
    dated_types = {"assets", "applications", "contracts", "documents", "terms_of_use", "terms_reviews",
                   "content_licences", "skill_assessments", "processing_activities",  # DPIA dates too
                   "restore_tests", "service_contracts"}
    assert {key for key, count in report.updated.items() if count} <= dated_types
    assert not demo.load_demo("valmont").changed


def test_replace_removes_what_is_not_in_the_file():
    from mue.applications.models import Application

    demo.load_demo("atelier")
    ws = Workspace.objects.get(slug="atelier")
    Application.objects.create(workspace=ws, slug="extra-tool", name="Extra tool", kind="saas")
    demo.load_demo("atelier")
    assert Application.objects.filter(workspace=ws, slug="extra-tool").exists()
    report = demo.load_demo("atelier", replace=True)
    assert not Application.objects.filter(workspace__slug="atelier", slug="extra-tool").exists()
    assert sum(report.created.values()) > 100


def test_failed_replace_keeps_the_workspace_and_names_the_line(monkeypatch, tmp_path):
    demo.load_demo("atelier")
    broken = tmp_path / "atelier.yaml"
    text = demo.DEMOS["atelier"].read_text(encoding="utf-8")
    broken.write_text(text.replace("kind: saas, vendor: calendly", "kind: saas-ish, vendor: calendly"),
                      encoding="utf-8")
    line = next(n for n, row in enumerate(broken.read_text().splitlines(), 1) if "saas-ish" in row)
    monkeypatch.setitem(demo.DEMOS, "atelier", broken)
    with pytest.raises(ImportFailed) as failure:
        demo.load_demo("atelier", replace=True)
    assert f"line {line}" in str(failure.value)
    assert Workspace.objects.filter(slug="atelier").exists()


def test_shift_dates_moves_dates_in_groups_and_leaves_the_rest():
    """The registry has no date inside a group today; a type that has one is shifted too."""
    otype = ObjectType(model=models.Model, key="things", singular="thing", order=1, fields=[
        MapField(key="slug", kind="value", field=models.CharField()),
        MapField(key="due", kind="value", field=models.DateField()),
        MapField(key="seen", kind="value", field=models.DateTimeField()),
        MapField(key="period", kind="group", members=(
            MapField(key="start", kind="value", field=models.DateField()),
            MapField(key="count", kind="value", field=models.IntegerField()),
        )),
    ])
    document = {"things": [
        {"slug": "a", "due": "2026-12-31", "seen": "2026-12-31T10:00:00",
         "period": {"start": "2026-02-28", "count": 3}},
        {"slug": "b", "due": None, "period": {"count": 1}},
        {"slug": "c", "due": "not a date"},
        {"slug": "d", "due": "20261231"},
    ]}
    demo.shift_dates(document, 1, types=[otype])
    a, b, c, d = document["things"]
    assert a == {"slug": "a", "due": "2027-01-01", "seen": "2026-12-31T10:00:00",
                 "period": {"start": "2026-03-01", "count": 3}}
    assert b == {"slug": "b", "due": None, "period": {"count": 1}}
    assert c == {"slug": "c", "due": "not a date"}
    assert d == {"slug": "d", "due": "20261231"}  # not the map's date form: left for the import to report


def test_every_date_of_the_file_is_shifted():
    """Every DateField of the registry present in the file moves: nothing keeps the reference date."""
    from mue.interchange.sources import load_structured

    for path in demo.DEMOS.values():
        original, _ = load_structured(path.read_bytes(), path.name, "yaml")
        shifted, _ = load_structured(path.read_bytes(), path.name, "yaml")
        demo.shift_dates(shifted, 100)
        moved = 0
        for key, items in original.items():
            if not isinstance(items, list):
                continue
            for before, after in zip(items, shifted[key], strict=True):
                for field, value in before.items():
                    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
                        assert dt.date.fromisoformat(after[field]) - dt.date.fromisoformat(value) == \
                            dt.timedelta(days=100), (path.name, key, before.get("slug"), field)
                        moved += 1
        assert moved > 20
