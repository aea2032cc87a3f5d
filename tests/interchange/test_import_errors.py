"""Bad input gets a clear error naming file, line and field, and leaves the database as it was."""

import copy

import pytest

from mue.interchange.files import import_file
from mue.interchange.importer import import_document
from mue.interchange.problems import ImportFailed
from tests.helpers import BASE_DOCUMENT, database_state

GOOD_YAML = """\
workspace: {slug: valmont, name: Commune de Valmont, kind: commune}
units:
  - {slug: dgs, name: DGS}
parties:
  - {slug: editeur-x, name: Éditeur X}
applications:
  - slug: portail
    name: Portail Famille
    kind: saas
    vendor: editeur-x
    status: approved
  - slug: cantine-app
    name: Logiciel cantine
    kind: on-premises
"""


@pytest.fixture
def loaded(db):
    """A workspace already holding data, so 'as it was' is not simply 'empty'."""
    import_document(copy.deepcopy(BASE_DOCUMENT), source="base.yaml")
    return database_state()


def _reject(tmp_path, name: str, text: str) -> ImportFailed:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        import_file(path)
    return caught.value


def test_good_file_imports(loaded, tmp_path):
    path = tmp_path / "good.yaml"
    path.write_text(GOOD_YAML, encoding="utf-8")
    report = import_file(path)
    assert report.created["applications"] == 0 and report.updated["applications"] == 0


def test_malformed_yaml_names_file_and_line(loaded, tmp_path):
    error = _reject(tmp_path, "broken.yaml", GOOD_YAML.replace("    kind: saas", "    kind: [saas"))
    assert len(error.problems) == 1
    problem = error.problems[0]
    assert problem.file == "broken.yaml"
    assert problem.location.startswith("line ")
    assert "malformed YAML" in problem.message
    assert database_state() == loaded


def test_malformed_json_names_line(loaded, tmp_path):
    error = _reject(tmp_path, "broken.json", '{"workspace": {"slug": "valmont",\n "name": }}')
    assert error.problems[0].location == "line 2"
    assert database_state() == loaded


def test_unknown_reference_names_line_and_field(loaded, tmp_path):
    error = _reject(tmp_path, "ref.yaml", GOOD_YAML.replace("vendor: editeur-x", "vendor: editeur-z"))
    [problem] = error.problems
    assert (problem.file, problem.location, problem.field) == ("ref.yaml", "line 10", "vendor")
    assert "editeur-z" in problem.message and "portail" in problem.message
    assert database_state() == loaded


def test_wrong_enumeration_value_lists_allowed_values(loaded, tmp_path):
    error = _reject(tmp_path, "enum.yaml", GOOD_YAML.replace("status: approved", "status: aproved"))
    [problem] = error.problems
    assert (problem.location, problem.field) == ("line 11", "status")
    assert "'aproved'" in problem.message and "approved, tolerated, shadow, banned, retired" in problem.message
    assert database_state() == loaded


def test_duplicate_slug(loaded, tmp_path):
    error = _reject(tmp_path, "dup.yaml", GOOD_YAML.replace("slug: cantine-app", "slug: portail"))
    [problem] = error.problems
    assert (problem.location, problem.field) == ("line 12", "slug")
    assert "duplicate slug 'portail'" in problem.message
    assert database_state() == loaded


def test_every_error_of_a_file_in_one_run(loaded, tmp_path):
    text = (GOOD_YAML.replace("vendor: editeur-x", "vendor: nobody")
            .replace("status: approved", "status: maybe")
            .replace("kind: on-premises", "kind: mainframe\n    colour: blue"))
    error = _reject(tmp_path, "many.yaml", text)
    fields = [(p.location, p.field) for p in error.problems]
    assert ("line 11", "status") in fields
    assert ("line 14", "kind") in fields
    assert ("line 15", "colour") in fields
    assert any("unknown key 'colour'" in p.message for p in error.problems)
    # The reference is checked too, even though other items of the file are invalid.
    assert ("line 10", "vendor") in fields
    assert database_state() == loaded


def test_unknown_top_level_key_and_wrong_types(loaded):
    doc = copy.deepcopy(BASE_DOCUMENT)
    doc["apps"] = []
    doc["services"][0]["criticality"] = "high"
    doc["services"][0]["needs"]["availability"] = 7
    with pytest.raises(ImportFailed) as caught:
        import_document(doc, source="doc.json")
    messages = [str(p) for p in caught.value.problems]
    assert any("unknown top-level key 'apps'" in m for m in messages)
    assert any("services[0]" in m and "'criticality'" in m for m in messages)
    assert any("needs.availability" in m for m in messages)
    assert database_state() == loaded


def test_ambiguous_flow_endpoint(loaded):
    doc = copy.deepcopy(BASE_DOCUMENT)
    doc["units"].append({"slug": "portail", "name": "Unité homonyme"})
    doc["flows"].append({"from": "portail", "to": "unit:enfance"})
    with pytest.raises(ImportFailed) as caught:
        import_document(doc, source="doc.json")
    problems = caught.value.problems
    assert len(problems) == 2  # both flows name 'portail', now an application and a unit
    for problem in problems:
        assert problem.field == "from" and "ambiguous" in problem.message and "'unit:portail'" in problem.message
    assert database_state() == loaded


def test_invalid_url_and_dates(loaded):
    doc = copy.deepcopy(BASE_DOCUMENT)
    doc["applications"][0]["url"] = "not a url"
    doc["applications"][1]["end_of_support"] = "31/12/2025"
    with pytest.raises(ImportFailed) as caught:
        import_document(doc, source="doc.json")
    fields = {p.field: p.message for p in caught.value.problems}
    assert "url" in fields and "end_of_support" in fields
    assert "YYYY-MM-DD" in fields["end_of_support"]
    assert database_state() == loaded


def test_unknown_file_format_and_missing_file(db, tmp_path):
    with pytest.raises(ImportFailed, match="unknown file format"):
        import_file(tmp_path / "map.toml")
    with pytest.raises(ImportFailed, match="file not found"):
        import_file(tmp_path / "absent.yaml")


def test_new_object_needs_its_required_fields_but_an_update_does_not(loaded):
    with pytest.raises(ImportFailed) as caught:
        import_document({"workspace": {"slug": "valmont", "name": "Commune de Valmont"},
                         "costs": [{"slug": "c1", "name": "Licences", "year": 2025}]}, source="c.json")
    assert sorted(p.field for p in caught.value.problems) == ["amount", "kind"]
    assert database_state() == loaded
    # an existing application may be updated without repeating its kind
    report = import_document({"workspace": {"slug": "valmont", "name": "Commune de Valmont"},
                              "applications": [{"slug": "portail", "name": "Portail Famille", "mfa": True}]})
    assert report.updated["applications"] == 1
