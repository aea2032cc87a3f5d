"""The importer's checks of shared cost lines: each problem names the file, the item and the field, and
nothing is written when one is found (map files, spreadsheets, forms and the API share them)."""

from __future__ import annotations

import pytest

from mue.costs.models import CostShare
from mue.interchange.importer import import_document
from mue.interchange.problems import ImportFailed
from mue.vendors.models import CostLine
from tests.costs.conftest import town_document

pytestmark = pytest.mark.django_db


def problems(document: dict, **kwargs) -> list:
    with pytest.raises(ImportFailed) as failed:
        import_document(document, source="bourg.yaml", **kwargs)
    return failed.value.problems


def test_percentages_must_sum_to_100(db):
    doc = town_document()
    doc["cost_shares"][1]["percent"] = 30  # 60 + 30
    (problem,) = problems(doc)
    assert problem.file == "bourg.yaml" and problem.location == "costs[3]" and problem.field == "sharing"
    assert problem.message == ("cost line 'agents-2026': the percentages of its shares sum to 90, "
                               "not 100 (postes 60 %, sauvegarde 30 %)")
    assert not CostLine.objects.exists() and not CostShare.objects.exists()  # nothing written


def test_a_share_without_its_percentage(db):
    doc = town_document()
    del doc["cost_shares"][0]["percent"]
    (problem,) = problems(doc)
    assert problem.location == "cost_shares[0]" and problem.field == "percent"
    assert problem.message.startswith("cost share 'agents-postes': cost line 'agents-2026' is shared by "
                                      "percentages")


def test_a_percentage_on_a_line_shared_by_users_is_refused(db):
    doc = town_document()
    doc["cost_shares"][2]["percent"] = 50
    (problem,) = problems(doc)
    assert problem.location == "cost_shares[2]" and problem.field == "percent"
    assert "is shared by the users of each service: a percentage would be ignored" in problem.message


def test_a_shared_line_needs_shares_and_each_service_once(db):
    doc = town_document()
    doc["costs"][5]["sharing"] = "equal"  # the DPO line, no share
    doc["cost_shares"].append({"slug": "infog-cantine-bis", "name": "Encore", "cost": "infogerance-2026",
                               "service": "cantine"})
    found = {(p.location, p.field): p.message for p in problems(doc)}
    assert "no cost share names its services" in found["costs[5]", "sharing"]
    assert "already has a share for service 'cantine'" in found["cost_shares[5]", "service"]


def test_percentages_beyond_100_and_unknown_keys_say_so(db):
    doc = town_document()
    doc["cost_shares"][0]["percent"] = 160
    doc["costs"][4]["sharing"] = "by-head"
    found = {(p.location, p.field): p.message for p in problems(doc)}
    assert "160" in found["cost_shares[0]", "percent"] and "100" in found["cost_shares[0]", "percent"]
    assert "by-head" in found["costs[4]", "sharing"]


def test_a_file_adding_a_share_is_checked_with_the_stored_ones(town):
    """An import is an upsert: the stored 60 % + 40 % plus a new 10 % make 110."""
    doc = {"cost_shares": [{"slug": "agents-messagerie", "name": "Agents messagerie", "cost": "agents-2026",
                            "service": "messagerie", "percent": 10}]}
    (problem,) = problems(doc, workspace="bourg")
    assert problem.location == "cost_shares[0]" and problem.field == "percent"
    assert "sum to 110, not 100" in problem.message
    # moving 10 points from one share to the new one is accepted, in one file
    doc["cost_shares"].append({"slug": "agents-sauvegarde", "name": "Agents sauvegarde", "percent": 30})
    import_document(doc, source="bourg.yaml", workspace="bourg")
    assert sorted(CostShare.objects.filter(cost__slug="agents-2026").values_list("percent", flat=True)) == [10, 30, 60]


def test_setting_the_key_of_a_stored_line_checks_its_stored_shares(town):
    """In the web forms one adds the shares first, then sets the line's key: that is when the sum is checked."""
    import_document({"cost_shares": [
        {"slug": "dpo-dgs", "name": "DPO DGS", "cost": "dpo-2026", "service": "messagerie", "percent": 50},
        {"slug": "dpo-cantine", "name": "DPO cantine", "cost": "dpo-2026", "service": "cantine", "percent": 25}]},
        workspace="bourg")  # no key yet: not checked
    (problem,) = problems({"costs": [{"slug": "dpo-2026", "name": "DPO", "sharing": "percentages"}]},
                         workspace="bourg")
    assert problem.location == "costs[0]" and problem.field == "sharing" and "sum to 75" in problem.message
    assert CostLine.objects.get(slug="dpo-2026").sharing == ""


def test_the_valid_town_imports_and_again_changes_nothing(town):
    report = import_document(town_document(), source="bourg.yaml")
    assert not report.changed
    assert CostShare.objects.filter(workspace=town).count() == 5
