"""The ArchiMate export of Valmont: valid on the Open Group XSD, every relationship one ArchiMate allows."""

from __future__ import annotations

from collections import Counter

import pytest
from lxml import etree

from mue.interchange.archimate.mapping import NS, XSI, is_allowed
from mue.interchange.archimate.writer import export_archimate, validate

pytestmark = pytest.mark.django_db

Q = f"{{{NS}}}"
XSI_TYPE = f"{{{XSI}}}type"


@pytest.fixture
def valmont():
    from mue.core.models import Workspace
    from mue.demo import load_demo

    load_demo("valmont")
    return Workspace.objects.get(slug="valmont")


def test_valmont_export_validates_and_holds_the_register(valmont):
    data = export_archimate(valmont)
    assert validate(data) == []
    root = etree.fromstring(data)
    elements = {e.get("identifier"): e.get(XSI_TYPE) for e in root.iter(f"{Q}element")}
    kinds = Counter(elements.values())
    for expected in ("BusinessActor", "BusinessRole", "BusinessProcess", "BusinessService", "ApplicationComponent",
                     "DataObject", "Node", "Device", "Location"):
        assert kinds[expected], expected
    from mue.applications.models import Application
    from mue.services.models import Service

    assert sum(1 for i in elements if i.startswith("application.")) == Application.objects.filter(
        workspace=valmont).count()
    relations = list(root.iter(f"{Q}relationship"))
    assert {r.get(XSI_TYPE) for r in relations} >= {"Serving", "Realization", "Assignment", "Access", "Flow",
                                                    "Composition", "Aggregation"}
    for rel in relations:  # the relationships Archi's own table allows between those two element types
        assert rel.get("source") in elements and rel.get("target") in elements
        assert is_allowed(rel.get(XSI_TYPE), elements[rel.get("source")], elements[rel.get("target")]), rel.attrib
    # one view per critical service, every node placed and pointing at an element
    critical = Service.objects.filter(workspace=valmont, criticality__gte=3)
    views = list(root.iter(f"{Q}view"))
    assert len(views) == critical.count() > 0
    for view in views:
        nodes = view.findall(f"{Q}node")
        assert nodes and all(n.get("elementRef") in elements and int(n.get("w")) > 0 for n in nodes)
        assert len({(n.get("x"), n.get("y")) for n in nodes}) == len(nodes)  # no two nodes on top of each other
        placed = {n.get("identifier") for n in nodes}
        assert all(c.get("source") in placed and c.get("target") in placed for c in view.findall(f"{Q}connection"))
    # the register's fields as properties
    names = {d.get("identifier"): d.findtext(f"{Q}name") for d in root.iter(f"{Q}propertyDefinition")}
    assert {"mue-type", "criticality", "kind", "needs.availability"} <= set(names.values())


def test_validate_reports_what_is_wrong():
    errors = validate(b'<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" identifier="m"><elements>'
                      b'<element identifier="e"/></elements></model>')
    assert errors and "line" in errors[0]
