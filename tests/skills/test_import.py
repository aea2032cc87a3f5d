"""Assessments and requirements through the map: derived slugs, clear errors, nothing written on error."""

import pytest

from mue.interchange.importer import ImportFailed, import_document
from mue.skills.models import Assessment, Requirement

pytestmark = pytest.mark.django_db

BASE = {"workspace": {"slug": "sk", "name": "SK"}, "units": [{"slug": "dsi", "name": "DSI"}],
        "people": [{"slug": "ann", "name": "Ann", "unit": "dsi"}],
        "services": [{"slug": "s1", "name": "S1", "criticality": 3}]}


def doc(**lists):
    return {**BASE, **lists}


def test_slug_and_name_derived_and_reimport_changes_nothing():
    document = doc(skill_assessments=[{"person": "ann", "competence": "4.1", "level": 5, "assessed_on": "2026-01-02"}],
                   skill_requirements=[{"service": "s1", "competence": "5.1", "level": 4},
                                       {"role": "Technicien", "competence": "5.1", "level": 5}])
    import_document(document)
    assessment = Assessment.objects.get()
    assert (assessment.slug, assessment.name, assessment.assessed_by) == ("ann-4-1", "ann 4.1", "self")
    assert set(Requirement.objects.values_list("slug", flat=True)) == {"s1-5-1", "technicien-5-1"}
    report = import_document(document)
    assert not report.changed


@pytest.mark.parametrize(("item", "field", "words"), [
    ({"person": "ann", "competence": "9.9", "level": 5, "assessed_on": "2026-01-02"}, "competence", "allowed"),
    ({"person": "ann", "competence": "4.1", "level": 9, "assessed_on": "2026-01-02"}, "level", "allowed"),
    ({"person": "nobody", "competence": "4.1", "level": 3, "assessed_on": "2026-01-02"}, "person", "nobody"),
    ({"person": "ann", "competence": "4.1", "level": 3}, "assessed_on", "assessed_on"),
    ({"level": 3, "assessed_on": "2026-01-02"}, "slug", "person, competence"),
])
def test_bad_assessments_are_refused_with_their_field(item, field, words):
    with pytest.raises(ImportFailed) as failed:
        import_document(doc(skill_assessments=[item]))
    messages = [(p.field, p.message) for p in failed.value.problems]
    assert any(f == field and words in m for f, m in messages), messages
    assert not Assessment.objects.exists()


def test_one_assessment_per_person_and_competence():
    items = [{"slug": f"a{i}", "person": "ann", "competence": "4.1", "level": 3, "assessed_on": "2026-01-02"}
             for i in (1, 2)]
    with pytest.raises(ImportFailed) as failed:
        import_document(doc(skill_assessments=items))
    assert [(p.field, "'a1' already has the same person, competence" in p.message)
            for p in failed.value.problems] == [("person", True)]
    assert not Assessment.objects.exists()
    import_document(doc(skill_assessments=items[:1]))
    with pytest.raises(ImportFailed) as failed:  # against the stored one too
        import_document(doc(skill_assessments=items[1:]))
    assert "'a1'" in failed.value.problems[0].message
    assert list(Assessment.objects.values_list("slug", flat=True)) == ["a1"]
    # An edit moving another assessment onto 4.1 is refused the same way (no integrity error).
    import_document(doc(skill_assessments=[{**items[1], "competence": "4.2"}]))
    with pytest.raises(ImportFailed) as failed:
        import_document({"workspace": BASE["workspace"], "skill_assessments": [{"slug": "a2", "competence": "4.1"}]})
    assert "'a1'" in failed.value.problems[0].message
    import_document({"workspace": BASE["workspace"], "skill_assessments": [{"slug": "a2", "level": 7}]})


def test_a_requirement_names_a_service_or_a_role():
    with pytest.raises(ImportFailed) as failed:
        import_document(doc(skill_requirements=[{"competence": "5.1", "level": 4}]))
    problem = failed.value.problems[0]
    assert problem.field == "service" and "service or a role" in problem.message
    # An existing requirement may be updated by slug alone.
    import_document(doc(skill_requirements=[{"service": "s1", "competence": "5.1", "level": 4}]))
    import_document({"workspace": {"slug": "sk", "name": "SK"},
                     "skill_requirements": [{"slug": "s1-5-1", "level": 6}]})
    assert Requirement.objects.get().level == 6
