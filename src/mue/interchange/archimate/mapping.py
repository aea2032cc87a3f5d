"""What the register's types and links are in ArchiMate 3.1/3.2, both ways.

One table serves the export and the import, so that a model Mue writes reads back as the same
register: element types per register type, and each reference field as one relationship
(``RELATIONS``: relation, source type, target type, the field it stands for). A relation that the
ArchiMate specification does not allow between two element types (Archi's own table, shipped in
``data/archi-relationships.xml``, MIT) is written as an Association carrying the field's name, which
every tool accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"

NS = "http://www.opengroup.org/xsd/archimate/3.0/"
NS_V2 = "http://www.opengroup.org/xsd/archimate"  # ArchiMate 2.1 exchange format (and 2.0's namespace)
NS_ARCHI = "http://www.archimatetool.com/archimate"  # Archi's own .archimate files, not the exchange format
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATION = f"{NS} http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd"

#: The property that says which register type an element stands for (business actors are units,
#: parties or people; an application's kind...). Written on every element Mue exports.
TYPE_PROPERTY = "mue-type"
#: The property naming the register field a relationship stands for, where two fields share a shape.
FIELD_PROPERTY = "mue-field"

#: Register types exported, in this order (registry singular names), and their element type.
ELEMENT_TYPES: dict[str, str] = {
    "unit": "BusinessActor",
    "party": "BusinessActor",
    "person": "BusinessRole",
    "process": "BusinessProcess",
    "service": "BusinessService",
    "application": "ApplicationComponent",
    "data_category": "DataObject",
    "site": "Location",
    "asset": "Node",  # refined by kind: ASSET_ELEMENTS
}

#: An asset is a Node (it hosts and computes) or a Device (a physical machine someone uses or plugs in).
ASSET_ELEMENTS: dict[str, str] = {
    "server": "Node", "virtual-machine": "Node", "cloud-resource": "Node", "other": "Node",
    "storage": "Device", "network-device": "Device", "workstation": "Device", "mobile": "Device",
    "iot-device": "Device",
}

#: Elements Mue derives from an asset's fields: one network per network segment, one system software
#: per operating system. They are drawn from the fields, so an import reads them back from the fields.
DERIVED_ELEMENTS: dict[str, tuple[str, str]] = {
    "network_segment": ("CommunicationNetwork", "network"),
    "operating_system": ("SystemSoftware", "software"),
}

#: Element type of a third-party model -> register type (and, for assets, the kind of a new asset).
IMPORTED_ELEMENTS: dict[str, tuple[str, str | None]] = {
    "BusinessActor": ("unit", None),
    "BusinessRole": ("person", None),
    "BusinessProcess": ("process", None),
    "BusinessService": ("service", None),
    "ApplicationComponent": ("application", "on-premises"),
    "DataObject": ("data_category", None),
    "Location": ("site", None),
    "Node": ("asset", "server"),
    "Device": ("asset", "other"),
    "Equipment": ("asset", "other"),
}

#: ArchiMate 2.1 names that became other names in 3.x; the rest of the 2.1 vocabulary kept its name.
V2_RENAMES: dict[str, str] = {
    "UsedBy": "Serving", "UsedByRelationship": "Serving", "InfrastructureService": "TechnologyService",
    "InfrastructureInterface": "TechnologyInterface", "InfrastructureFunction": "TechnologyFunction",
    "Network": "CommunicationNetwork", "CommunicationPath": "Path",
}


@dataclass(frozen=True)
class Relation:
    """A reference field as a relationship: ``relation`` from an element of ``source`` to one of ``target``.

    ``owner`` is the register type holding the field: the source or the target of the relationship.
    """

    relation: str
    source: str
    target: str
    owner: str
    field: str

    @property
    def owner_is_source(self) -> bool:
        return self.owner == self.source


#: Every reference field the export writes as a relationship (ArchiMate reads "source relation target").
RELATIONS: tuple[Relation, ...] = (
    Relation("Composition", "unit", "unit", "unit", "parent"),  # the parent unit is made of its units
    Relation("Assignment", "unit", "person", "person", "unit"),  # the unit fills the person's role
    Relation("Assignment", "unit", "process", "process", "unit"),
    Relation("Assignment", "person", "process", "process", "owner"),
    Relation("Serving", "service", "process", "process", "services"),
    Relation("Serving", "service", "unit", "service", "units"),
    Relation("Realization", "application", "service", "service", "applications"),
    Relation("Assignment", "person", "service", "service", "business_owner"),
    Relation("Assignment", "person", "service", "service", "it_owner"),
    Relation("Assignment", "person", "service", "service", "backup_owner"),
    Relation("Serving", "application", "application", "application", "depends_on"),  # the dependency serves
    Relation("Serving", "asset", "application", "application", "runs_on"),
    Relation("Access", "application", "data_category", "application", "data"),
    Relation("Access", "asset", "data_category", "asset", "data_collected"),  # a connected object's data
    Relation("Access", "asset", "data_category", "asset", "data_reached"),  # what a personal device reaches
    Relation("Association", "party", "application", "application", "vendor"),
    Relation("Association", "person", "application", "application", "owner"),
    Relation("Serving", "asset", "asset", "asset", "host"),  # the host serves what runs on it
    Relation("Aggregation", "site", "asset", "asset", "site"),
    Relation("Association", "party", "asset", "asset", "provider"),
    Relation("Association", "person", "asset", "asset", "owner"),
)

#: Other shapes third-party models use for the same fields (read on import, never written).
ALSO_READ: tuple[Relation, ...] = (
    Relation("Serving", "application", "service", "service", "applications"),
    Relation("Assignment", "application", "service", "service", "applications"),
    Relation("Realization", "asset", "application", "application", "runs_on"),
    Relation("Assignment", "asset", "application", "application", "runs_on"),
    Relation("Aggregation", "unit", "unit", "unit", "parent"),
    Relation("Composition", "unit", "person", "person", "unit"),
    Relation("Aggregation", "unit", "person", "person", "unit"),
    Relation("Composition", "asset", "asset", "asset", "host"),
    Relation("Assignment", "asset", "asset", "asset", "host"),
    Relation("Composition", "site", "asset", "asset", "site"),
)

#: Register types a flow may start or end at (see mue.core.registry.ENDPOINT_TYPES).
FLOW_ENDPOINTS = ("application", "unit", "party", "asset")


def identifier(type_name: str, slug: str) -> str:
    """The exchange identifier of a register object: ``application.portail`` (an xs:ID, stable, readable)."""
    return f"{type_name}.{slug}"


def derived_identifier(field: str, slug: str) -> str:
    return f"{DERIVED_ELEMENTS[field][1]}.{slug}"


@cache
def allowed_relations() -> dict[tuple[str, str], frozenset[str]]:
    """(source element type, target element type) -> relation names ArchiMate 3.2 allows (Archi's table)."""
    from lxml import etree

    letters = {"a": "Access", "c": "Composition", "f": "Flow", "g": "Aggregation", "i": "Assignment",
               "n": "Influence", "o": "Association", "r": "Realization", "s": "Specialization",
               "t": "Triggering", "v": "Serving"}
    root = etree.parse(str(DATA / "archi-relationships.xml")).getroot()
    table: dict[tuple[str, str], frozenset[str]] = {}
    for source in root.iter("source"):
        for target in source.iter("target"):
            names = frozenset(letters[c] for c in target.get("relations", "") if c in letters)
            table[(source.get("concept"), target.get("concept"))] = names
    return table


def is_allowed(relation: str, source_element: str, target_element: str) -> bool:
    return relation == "Association" or relation in allowed_relations().get((source_element, target_element), ())
