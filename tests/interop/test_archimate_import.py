"""Importing ArchiMate exchange files: the Open Group samples, Mue's own export, 2.1 files, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from mue.core.models import ChangeLogEntry, Workspace
from mue.interchange.archimate import import_archimate
from mue.interchange.archimate.writer import export_archimate, validate
from mue.interchange.importer import import_document
from mue.interchange.problems import ImportFailed
from mue.organization.models import Unit

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent.parent / "fixtures" / "archimate"


def test_the_sample_model_imports_and_reimports_unchanged():
    data = (FIXTURES / "Sample1.xml").read_bytes()
    report = import_archimate(data, source="Sample1.xml", workspace="sample")
    assert report.as_dict()["created"] == {"people": 1, "processes": 1}
    from mue.organization.models import Person
    from mue.services.models import Process

    person = Person.objects.get(workspace__slug="sample", slug="id-37d5bc4b")
    assert person.name == "Sales Person" and person.description == "A description of a sales person"
    process = Process.objects.get(workspace__slug="sample", slug="id-89c22226")
    assert process.owner == person  # the Assignment role -> process
    assert Workspace.objects.get(slug="sample").name == "Test"
    logged = ChangeLogEntry.objects.count()
    again = import_archimate(data, source="Sample1.xml", workspace="sample")
    assert not again.changed and ChangeLogEntry.objects.count() == logged
    # and it goes out again as a valid model
    assert validate(export_archimate(Workspace.objects.get(slug="sample"))) == []


def test_unmapped_parts_are_reported_never_dropped_silently():
    report = import_archimate((FIXTURES / "bendpoint.test.xml").read_bytes(), source="b.xml", workspace="bend")
    assert report.as_dict()["created"] == {"services": 1}
    notes = "\n".join(report.notes)
    assert "not imported: 1 BusinessFunction (no register type for it): Business Function" in notes
    assert "not imported: 2 relationships (one end is not in the register)" in notes
    assert "1 view not imported" in notes
    # what was imported goes out again as a model valid on the XSD
    exported = export_archimate(Workspace.objects.get(slug="bend"))
    assert validate(exported) == [] and b'identifier="service.id-019dd58c-3116-731f-a761-905e3234486b"' in exported


def test_entity_expansion_is_not_performed():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
            b'<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" '
            b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m"><elements>'
            b'<element identifier="e" xsi:type="BusinessActor"><name>&d;</name></element></elements></model>')
    import_archimate(bomb, source="bomb.xml", workspace="bomb")
    from mue.organization.models import Unit

    assert len(Unit.objects.get(workspace__slug="bomb", slug="e").name) < 100


def test_valmont_round_trip_gives_the_same_register():
    from mue.demo import load_demo
    from mue.interchange.exporter import export_workspace

    load_demo("valmont")
    valmont = Workspace.objects.get(slug="valmont")
    data = export_archimate(valmont)
    original = export_workspace(valmont)
    # The copy defines Valmont's custom fields (they are the workspace's settings, not ArchiMate's):
    # their values, written as custom.<slug> properties, read back typed.
    import_document({"workspace": {"slug": "copy", "name": "Copie"}, "custom_fields": original["custom_fields"]})
    report = import_archimate(data, source="valmont.xml", workspace="copy")
    copy = Workspace.objects.get(slug="copy")
    copied = export_workspace(copy)
    for key in ("units", "parties", "people", "processes", "services", "applications", "data_categories", "sites",
                "assets", "flows"):
        assert copied.get(key) == original.get(key), key
    assert any(unit.get("custom") for unit in copied["units"])
    assert not [n for n in report.notes if n.startswith("not imported")], report.notes
    assert not import_archimate(data, source="valmont.xml", workspace="copy").changed
    # the copy exports to the same model
    assert export_archimate(copy).replace(b"mue.copy", b"mue.valmont").count(b"<element ") == data.count(b"<element ")


def test_custom_values_without_their_field_are_said_not_imported():
    from mue.demo import load_demo

    load_demo("valmont")
    data = export_archimate(Workspace.objects.get(slug="valmont"))
    report = import_archimate(data, source="valmont.xml", workspace="elsewhere")
    assert any("custom.referent-numerique" in note for note in report.notes), report.notes
    assert not Unit.objects.filter(workspace__slug="elsewhere").exclude(custom={}).exists()


def test_archimate_2_file_is_read_with_3_names():
    v2 = b"""<?xml version="1.0" encoding="UTF-8"?>
<model xmlns="http://www.opengroup.org/xsd/archimate" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
       identifier="m1">
  <name xml:lang="en">Old</name>
  <elements>
    <element identifier="a1" xsi:type="ApplicationComponent"><label xml:lang="en">Payroll</label></element>
    <element identifier="s1" xsi:type="BusinessService"><label xml:lang="en">Pay agents</label></element>
    <element identifier="n1" xsi:type="Node"><label xml:lang="en">Server</label></element>
    <element identifier="i1" xsi:type="InfrastructureService"><label xml:lang="en">Hosting</label></element>
  </elements>
  <relationships>
    <relationship identifier="r1" source="a1" target="s1" xsi:type="UsedByRelationship"/>
    <relationship identifier="r2" source="n1" target="a1" xsi:type="UsedByRelationship"/>
  </relationships>
</model>"""
    report = import_archimate(v2, source="old.xml", workspace="old")
    assert report.as_dict()["created"] == {"applications": 1, "assets": 1, "services": 1}
    assert report.notes[0].startswith("ArchiMate 2.1 file")
    assert any("TechnologyService" in n for n in report.notes)
    from mue.services.models import Service

    assert list(Service.objects.get(slug="s1").applications.values_list("slug", flat=True)) == ["a1"]


@pytest.mark.parametrize(("data", "message"), [
    (b"<model", "not well-formed XML"),
    (b'<archimate:model xmlns:archimate="http://www.archimatetool.com/archimate" name="x"/>',
     "Archi model file"),
    (b'<model xmlns="urn:other"/>', "not an ArchiMate Open Exchange file"),
    (b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     b'<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" identifier="m"><elements>'
     b'<element identifier="e" xsi:type="BusinessActor" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
     b'<name>&x;</name></element></elements></model>', None),
])
def test_bad_files_are_refused_clearly(data, message):
    if message is None:  # an external entity is not read: the name stays empty, the identifier is used
        import_archimate(data, source="x.xml", workspace="xxe")
        from mue.organization.models import Unit

        assert "root:" not in Unit.objects.get(slug="e").name
        return
    with pytest.raises(ImportFailed, match=message):
        import_archimate(data, source="x.xml", workspace="bad")
    assert not Workspace.objects.filter(slug="bad").exists()


def test_a_bad_property_value_is_placed_on_its_element():
    data = b"""<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m"><name>M</name>
  <elements><element identifier="id-1" xsi:type="BusinessService"><name>Cantine</name>
   <properties><property propertyDefinitionRef="p1"><value>very</value></property></properties></element></elements>
  <propertyDefinitions><propertyDefinition identifier="p1" type="string"><name>criticality</name>
  </propertyDefinition></propertyDefinitions></model>"""
    with pytest.raises(ImportFailed) as caught:
        import_archimate(data, source="m.xml", workspace="w")
    problem = caught.value.problems[0]
    assert problem.location == "element id-1" and problem.field == "criticality"
