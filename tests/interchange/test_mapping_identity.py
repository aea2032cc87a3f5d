"""Issue #14.3: a mapping says what a row's identity is and what to do with rows that share it.

The shapes of a real inventory: the same software listed twice (two versions, two statuses), a
column holding the slug, rows to leave out. Each shape through ``mue import --mapping``, as a user
runs it; the page does the same through its form (tests/interchange/test_import_page.py).
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from mue.applications.models import Application
from mue.cli.main import app
from mue.core.models import ChangeLogEntry
from mue.interchange.mapping import check_mapping, dump_mapping, parse_mapping
from mue.interchange.problems import ImportFailed

# The same software twice: two versions, two statuses (as in a public administration's export).
INVENTORY = (
    "Logiciel;Version;Statut;Étiquettes;Code\n"
    "LibreOffice;7.5;approved;bureautique;lo-75\n"
    "Firefox;115;approved;web;ff\n"
    "LibreOffice;7.6;tolerated;suite;lo-76\n"
    "Ancien;1.0;retired;;old\n"
)


def run(tmp_path, mapping: str, sheet: str = INVENTORY):
    source = tmp_path / "inventaire.csv"
    source.write_text(sheet, encoding="utf-8")
    mapping_file = tmp_path / "mapping.yaml"
    mapping_file.write_text("type: applications\ncolumns: {Logiciel: name, Étiquettes: tags, Statut: status, "
                            "Code: '-'}\ndefaults: {kind: desktop}\n" + mapping, encoding="utf-8")
    result = CliRunner().invoke(app, ["import", str(source), "--workspace", "ws", "--mapping", str(mapping_file),
                                      "--json"])
    return result, json.loads(result.stdout) if result.stdout.strip().startswith("[") else None


@pytest.fixture
def ws(db):
    from mue.core.models import Workspace

    return Workspace.objects.create(slug="ws", name="WS")


def _apps(ws) -> dict[str, tuple[str, str]]:
    return {a.slug: (a.version, a.status) for a in Application.objects.filter(workspace=ws)}


def test_by_default_rows_sharing_a_name_are_reported_row_by_row_and_nothing_is_written(ws, tmp_path):
    result, [report] = run(tmp_path, "")
    assert result.exit_code == 3 and not report["ok"]
    [problem] = [p for p in report["problems"] if "same identity" in p["message"]]
    assert problem["location"] == "row 4" and "row 2" in problem["message"]
    assert "on_duplicate" in problem["message"]
    assert not Application.objects.filter(workspace=ws).exists()


def test_a_slug_built_from_several_columns_keeps_both_versions(ws, tmp_path):
    result, [report] = run(tmp_path, 'slug: "{Logiciel}-{version}"\n')
    assert result.exit_code == 0, result.output
    assert _apps(ws) == {"libreoffice-7.5": ("7.5", "approved"), "libreoffice-7.6": ("7.6", "tolerated"),
                         "firefox-115": ("115", "approved"), "ancien-1.0": ("1.0", "retired")}
    again, [second] = run(tmp_path, 'slug: "{Logiciel}-{version}"\n')
    assert again.exit_code == 0 and not second["created"] and not second["updated"]


def test_a_column_holding_the_slug(ws, tmp_path):
    result, _report = run(tmp_path, "slug: Code\n")
    assert result.exit_code == 0, result.output
    assert set(_apps(ws)) == {"lo-75", "ff", "lo-76", "old"}


def test_first_keeps_the_first_row_and_says_which_rows_were_left_out(ws, tmp_path):
    result, [report] = run(tmp_path, "on_duplicate: first\n")
    assert result.exit_code == 0, result.output
    assert _apps(ws)["libreoffice"] == ("7.5", "approved")
    assert "row 4: same identity 'libreoffice' as row 2, left out (the first row is kept)" in report["notes"]


def test_last_keeps_the_last_row(ws, tmp_path):
    result, [report] = run(tmp_path, "on_duplicate: last\n")
    assert result.exit_code == 0, result.output
    assert _apps(ws)["libreoffice"] == ("7.6", "tolerated")
    assert "row 2: same identity 'libreoffice' as row 4, left out (the last row is kept)" in report["notes"]


def test_merge_unites_lists_and_reports_each_conflicting_field_on_its_row(ws, tmp_path):
    result, [report] = run(tmp_path, "on_duplicate: merge\n")
    assert result.exit_code == 3
    messages = {(p["location"], p["field"]): p["message"] for p in report["problems"]}
    assert "'tolerated' differs from 'approved' on row 2" in messages[("row 4", "Statut (status)")]
    assert "'7.6' differs from '7.5' on row 2" in messages[("row 4", "Version")]
    assert not Application.objects.filter(workspace=ws).exists()

    agreeing = INVENTORY.replace("LibreOffice;7.6;tolerated;suite", "LibreOffice;7.5;approved;suite")
    result, [report] = run(tmp_path, "on_duplicate: merge\n", agreeing)
    assert result.exit_code == 0, result.output
    merged = Application.objects.get(workspace=ws, slug="libreoffice")
    assert sorted(merged.tags) == ["bureautique", "suite"]
    assert "row 4 merged into row 2 ('libreoffice')" in report["notes"]


def test_skip_if_leaves_rows_out_and_says_so(ws, tmp_path):
    result, [report] = run(tmp_path, "skip_if: {Statut: [retired, tolerated]}\n")
    assert result.exit_code == 0, result.output
    assert set(_apps(ws)) == {"libreoffice", "firefox"}
    assert "row 4: left out (skip_if: Statut = 'tolerated')" in report["notes"]
    assert "row 5: left out (skip_if: Statut = 'retired')" in report["notes"]


def test_skip_if_on_a_column_no_field_has(ws, tmp_path):
    sheet = INVENTORY.replace("Code\n", "Code;Archivé\n", 1).replace("lo-75\n", "lo-75;oui\n")
    result, _report = run(tmp_path, "skip_if: {Archivé: Oui}\non_duplicate: error\n", sheet)
    assert result.exit_code == 0, result.output
    assert _apps(ws)["libreoffice"] == ("7.6", "tolerated")


def test_a_slug_pattern_naming_no_column_is_a_problem(ws, tmp_path):
    result, [report] = run(tmp_path, 'slug: "{Logiciel}-{Édition}"\n')
    assert result.exit_code == 3
    assert any("no column 'Édition'" in p["message"] for p in report["problems"])
    assert not ChangeLogEntry.objects.exists()


@pytest.mark.parametrize(("document", "key"), [
    ({"on_duplicate": "keep"}, "on_duplicate"),
    ({"slug": 12}, "slug"),
    ({"slug": "{}"}, "slug"),
    ({"skip_if": ["Statut"]}, "skip_if"),
    ({"skip_if": {"Statut": {"a": 1}}}, "skip_if"),
])
def test_bad_identity_keys_are_named(document, key):
    with pytest.raises(ImportFailed) as exc:
        check_mapping(document)
    assert [p.field for p in exc.value.problems] == [key]


def test_a_mapping_written_back_reads_the_same():
    mapping = check_mapping({"type": "applications", "columns": {"Nom": "name", "Note": None},
                             "values": {"status": {"R": "approved"}}, "slug": "{Nom}-{version}",
                             "on_duplicate": "last", "skip_if": {"Statut": "Archivé"}})
    assert parse_mapping(dump_mapping(mapping).encode()) == mapping
