"""The synthetic workspace generator: sizes, determinism, realistic shapes, the bulk import path."""

from __future__ import annotations

import copy
from collections import Counter

import pytest
from typer.testing import CliRunner

from mue.synthetic.generator import CUSTOM_FIELDS, L_COUNTS, Generator, build_document, counts, object_count


def test_sizes_match_the_issue():
    assert counts("L")["services"] == 2000
    assert counts("L")["applications"] == 10_000
    assert counts("L")["flows"] == 100_000
    assert counts("L")["assets"] == 20_000
    assert counts("L")["parties"] == 500
    assert counts("L")["contracts"] == 1000
    assert counts("XL") == {k: v * 10 for k, v in L_COUNTS.items()} | {"custom_fields": CUSTOM_FIELDS}
    assert counts("S")["custom_fields"] == counts("L")["custom_fields"] == CUSTOM_FIELDS
    assert 800 <= sum(counts("S").values()) <= 1200
    assert 8000 <= sum(counts("M").values()) <= 12_000
    with pytest.raises(ValueError):
        counts("XXL")


def test_same_seed_same_document_other_seed_other_document():
    first, again, other = build_document("S", 7), build_document("S", 7), build_document("S", 8)
    assert first == again
    assert first != other
    assert object_count(first) == sum(counts("S").values())


def test_parts_are_the_same_workspace_as_the_whole():
    generator = Generator("S", 3)
    whole = Generator("S", 3).document()
    parts = list(generator.documents(flows_per_document=100))
    assert len(parts) == 1 + -(-counts("S")["flows"] // 100)
    assert [f for part in parts[1:] for f in part["flows"]] == whole["flows"]
    assert {k: v for k, v in parts[0].items()} == {k: v for k, v in whole.items() if k != "flows"}


def test_shapes_give_audits_real_work():
    doc = build_document("M", 1)
    personal = Counter(c["personal_data"] for c in doc["data_categories"])
    total = len(doc["data_categories"])
    assert 0.12 < (personal["personal"]) / total < 0.30
    assert 0.02 < (personal["sensitive"]) / total < 0.10
    apps = doc["applications"]
    assert 0.04 < sum(a["status"] == "shadow" for a in apps) / len(apps) < 0.12
    assert 0.10 < sum("owner" not in a for a in apps) / len(apps) < 0.20
    assert any(a.get("hosting_country") in ("US", "CN") for a in apps)
    contracts = doc["contracts"]
    expired = [c for c in contracts if c.get("end") and c["end"] < "2025-06-01"]
    assert 0.05 < len(expired) / len(contracts) < 0.15
    assert any(c.get("tacit_renewal") for c in contracts)
    assert any(f["encrypted"] is False for f in doc["flows"])
    assert any("backup_owner" not in s for s in doc["services"])


def test_fan_in_follows_a_power_law():
    doc = build_document("M", 1)
    targets = Counter(f["to"] for f in doc["flows"] if ":" not in f["to"])
    apps = len(doc["applications"])
    top = sum(n for _slug, n in targets.most_common(apps // 100))  # the top 1 % of applications
    assert top / sum(targets.values()) > 0.25
    hosted = Counter(server for a in doc["applications"] for server in a.get("runs_on", []))
    assert hosted.most_common(1)[0][1] >= 10 * (sum(hosted.values()) / len(hosted))


@pytest.mark.django_db
def test_generated_workspace_imports_and_exports_identically_for_a_seed():
    from mue.core.models import ChangeLogEntry, Workspace
    from mue.interchange.exporter import export_workspace
    from mue.interchange.importer import import_document

    for slug in ("seed-a", "seed-b"):
        report = import_document(Generator("S", 5, workspace=slug).document(), source="generate")
        assert sum(report.created.values()) == sum(counts("S").values())
    first, second = (export_workspace(Workspace.objects.get(slug=s)) for s in ("seed-a", "seed-b"))
    first.pop("workspace"), second.pop("workspace")
    assert first == second
    ws = Workspace.objects.get(slug="seed-a")
    assert ChangeLogEntry.objects.filter(workspace=ws, action="create").count() == sum(counts("S").values())


@pytest.mark.django_db
def test_importing_the_parts_gives_the_workspace_of_the_whole():
    from mue.core.models import Workspace
    from mue.interchange.exporter import export_workspace
    from mue.interchange.importer import import_document

    import_document(Generator("S", 2, workspace="whole").document())
    for part in Generator("S", 2, workspace="parts").documents(flows_per_document=250):
        import_document(copy.deepcopy(part))
    whole, parts = (export_workspace(Workspace.objects.get(slug=s)) for s in ("whole", "parts"))
    whole.pop("workspace"), parts.pop("workspace")
    assert whole == parts


@pytest.mark.django_db
def test_cli_generates_into_the_database_and_into_a_file(tmp_path):
    from mue.cli.main import app
    from mue.core.models import Workspace
    from mue.organization.models import Unit

    runner = CliRunner()
    result = runner.invoke(app, ["generate", "--size", "s", "--seed", "4", "--workspace", "gen-cli"])
    assert result.exit_code == 0, result.output
    ws = Workspace.objects.get(slug="gen-cli")
    assert Unit.objects.filter(workspace=ws).count() == counts("S")["units"]

    out = tmp_path / "s.json"
    result = runner.invoke(app, ["generate", "--size", "S", "--seed", "4", "--output", str(out)])
    assert result.exit_code == 0, result.output
    import orjson

    assert orjson.loads(out.read_bytes())["flows"] == Generator("S", 4).document()["flows"]

    result = runner.invoke(app, ["generate", "--size", "XXL"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["generate", "--output", str(tmp_path / "s.txt")])
    assert result.exit_code == 2
