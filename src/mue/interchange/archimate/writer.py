"""A workspace as an ArchiMate 3.1/3.2 Open Exchange Format model (what Archi, BiZZdesign, Sparx read).

Built from the workspace's map document (:func:`mue.interchange.exporter.export_workspace`: one query
per type and per link table) and its dependency graph (one per type and relation), so the cost does
not grow with the number of objects. What it holds:

* one element per unit, party, person, process, service, application, data category, site and asset
  (Node or Device by kind), plus one Communication Network per network segment and one System
  Software per operating system named on assets;
* one relationship per reference of the register (:data:`mapping.RELATIONS`) and one Flow per data flow;
* the register's fields as properties (``kind``, ``criticality``, ``needs.availability``...), the
  workspace's custom fields as ``custom.<slug>`` (read back where the target workspace defines them), and
  ``mue-type`` saying which register type an element is, so that the file reads back as it was;
* one view per critical service (criticality 3 or 4): what it rests on, laid out in columns as the
  dependency graph draws it.

Contracts, costs, documents and terms of use have no ArchiMate element: they are not written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from mue.core.custom import COLUMN_PREFIX
from mue.core.models import Workspace
from mue.core.registry import registry
from mue.interchange.archimate.mapping import (
    ASSET_ELEMENTS,
    DERIVED_ELEMENTS,
    ELEMENT_TYPES,
    FIELD_PROPERTY,
    FLOW_ENDPOINTS,
    NS,
    RELATIONS,
    SCHEMA_LOCATION,
    TYPE_PROPERTY,
    XML_LANG,
    XSI,
    derived_identifier,
    identifier,
    is_allowed,
)
from mue.interchange.sources import slugify

#: Services of at least this criticality get a view of their dependencies.
CRITICAL = 3
NODE_W, NODE_H = 160, 55
#: Objects drawn in one view at most, the nearest to the service first.
MAX_VIEW_NODES = 150


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


XSI_TYPE = f"{{{XSI}}}type"


@dataclass
class _Model:
    """What the model holds before it is written: elements, relationships, property names in use."""

    language: str
    elements: list[tuple[str, str, str, str, list[tuple[str, str]]]] = field(default_factory=list)
    element_types: dict[str, str] = field(default_factory=dict)  # identifier -> element type
    relationships: list[dict[str, Any]] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)  # property name -> definition identifier
    seen_relationships: set[str] = field(default_factory=set)

    def prop(self, name: str) -> str:
        if name not in self.properties:
            self.properties[name] = f"prop.{len(self.properties) + 1}"
        return self.properties[name]

    def element(self, ident: str, xsi_type: str, name: str, doc: str, props: list[tuple[str, str]]) -> None:
        self.elements.append((ident, xsi_type, name, doc, props))
        self.element_types[ident] = xsi_type
        for key, _value in props:
            self.prop(key)

    def relationship(self, ident: str, relation: str, source: str, target: str, name: str = "",
                     props: list[tuple[str, str]] | None = None, doc: str = "") -> None:
        if ident in self.seen_relationships or source not in self.element_types or target not in self.element_types:
            return
        if not is_allowed(relation, self.element_types[source], self.element_types[target]):
            relation = "Association"  # what ArchiMate forbids between these two types, every tool reads as this
        self.seen_relationships.add(ident)
        for key, _value in props or []:
            self.prop(key)
        self.relationships.append({"id": ident, "type": relation, "source": source, "target": target, "name": name,
                                   "props": props or [], "doc": doc})


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def _properties(type_name: str, item: dict[str, Any]) -> list[tuple[str, str]]:
    """(property name, text) of an item's own values: its fields, not its references (those are relationships)."""
    otype = registry.by_singular(type_name)
    props = [(TYPE_PROPERTY, type_name)]
    for mf in otype.fields:
        if mf.key in ("slug", "name", "description") or mf.key not in item:
            continue
        if mf.kind == "value":
            props.append((mf.key, _text(item[mf.key])))
        elif mf.kind == "group" and isinstance(item[mf.key], dict):
            props += [(f"{mf.key}.{member}", _text(value)) for member, value in item[mf.key].items()]
        elif mf.kind == "custom" and isinstance(item[mf.key], dict):  # the workspace's custom fields
            props += [(f"{COLUMN_PREFIX}{slug}", _text(value)) for slug, value in item[mf.key].items()]
    return props


def _element_type(type_name: str, item: dict[str, Any]) -> str:
    if type_name == "asset":
        return ASSET_ELEMENTS.get(item.get("kind", "other"), "Node")
    return ELEMENT_TYPES[type_name]


def _endpoint(value: str, bare: dict[str, str]) -> str:
    """A flow's ``from``/``to`` (``portail``, ``unit:enfance``) as the identifier of its element; a bare
    slug is the one endpoint type that has it (``bare``: slug -> type)."""
    kind, _sep, slug = value.rpartition(":")
    return identifier(kind or bare.get(slug, "application"), slug)


def build_model(workspace: Workspace) -> _Model:
    from django.conf import settings

    from mue.interchange.exporter import export_workspace

    document = export_workspace(workspace)
    model = _Model(language=(settings.LANGUAGE_CODE or "en")[:2])
    derived: dict[str, dict[str, str]] = {name: {} for name in DERIVED_ELEMENTS}
    for type_name in ELEMENT_TYPES:
        for item in document.get(registry.by_singular(type_name).key, []):
            model.element(identifier(type_name, item["slug"]), _element_type(type_name, item), item.get("name", ""),
                          item.get("description", ""), _properties(type_name, item))
            if type_name == "asset":
                for name in DERIVED_ELEMENTS:
                    if item.get(name):
                        derived[name].setdefault(slugify(item[name]) or "x", item[name])
    for name, values in derived.items():
        element_type = DERIVED_ELEMENTS[name][0]
        for slug, text in sorted(values.items()):
            model.element(derived_identifier(name, slug), element_type, text, "", [])
    for rel in RELATIONS:
        owner_key = registry.by_singular(rel.owner).key
        label = _field_label(owner_key, rel.field)
        other = rel.target if rel.owner_is_source else rel.source
        for item in document.get(owner_key, []):
            value = item.get(rel.field)
            for slug in ([value] if isinstance(value, str) else value or []):
                mine, theirs = identifier(rel.owner, item["slug"]), identifier(other, slug)
                source, target = (mine, theirs) if rel.owner_is_source else (theirs, mine)
                model.relationship(f"rel.{rel.owner}.{item['slug']}.{rel.field}.{slug}", rel.relation, source, target,
                                   label, [(FIELD_PROPERTY, f"{rel.owner}.{rel.field}")])
    for item in document.get("assets", []):
        for name in DERIVED_ELEMENTS:
            if item.get(name):
                network = derived_identifier(name, slugify(item[name]) or "x")
                mine = identifier("asset", item["slug"])
                relation = "Association" if name == "network_segment" else "Assignment"
                model.relationship(f"rel.asset.{item['slug']}.{name}", relation, mine, network, "",
                                   [(FIELD_PROPERTY, f"asset.{name}")])
    bare = {item["slug"]: kind for kind in FLOW_ENDPOINTS
            for item in document.get(registry.by_singular(kind).key, [])}
    for item in document.get("flows", []):
        props = [(TYPE_PROPERTY, "flow")] + [(key, _text(value)) for key, value in _properties("flow", item)[1:]]
        if item.get("data"):
            props.append(("data", _text(item["data"])))
        model.relationship(identifier("flow", item["slug"]), "Flow", _endpoint(item["from"], bare),
                           _endpoint(item["to"], bare),
                           item.get("name", ""), props, item.get("description", ""))
    return model


def _field_label(owner_key: str, key: str) -> str:
    """The field's name in the register's words ("business owner"), shown on the relationship in the tool."""
    for mf in registry[owner_key].fields:
        if mf.key == key and mf.field is not None:
            return str(mf.field.verbose_name)
    return key


def _named(parent: etree._Element, tag: str, text: str, language: str) -> None:
    """A ``name``, ``documentation`` or property ``value``: text in the workspace's language (names and
    values say it, as Archi writes them)."""
    node = etree.SubElement(parent, _q(tag))
    node.text = text
    if tag in ("name", "value"):
        node.set(XML_LANG, language)


def _write_properties(parent: etree._Element, model: _Model, props: list[tuple[str, str]]) -> None:
    if not props:
        return
    holder = etree.SubElement(parent, _q("properties"))
    for key, value in props:
        prop = etree.SubElement(holder, _q("property"), propertyDefinitionRef=model.prop(key))
        _named(prop, "value", value, model.language)


def export_archimate(workspace: Workspace) -> bytes:
    """The workspace as an Open Exchange Format file (UTF-8 XML), valid on the Open Group's XSD."""
    model = build_model(workspace)
    root = etree.Element(_q("model"), nsmap={None: NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    root.set("identifier", f"mue.{workspace.slug}")
    _named(root, "name", workspace.name, model.language)
    if workspace.description:
        _named(root, "documentation", workspace.description, model.language)
    elements = etree.SubElement(root, _q("elements"))
    for ident, xsi_type, name, doc, props in model.elements:
        node = etree.SubElement(elements, _q("element"), identifier=ident)
        node.set(XSI_TYPE, xsi_type)
        _named(node, "name", name or ident, model.language)
        if doc:
            _named(node, "documentation", doc, model.language)
        _write_properties(node, model, props)
    if model.relationships:
        relationships = etree.SubElement(root, _q("relationships"))
        for rel in model.relationships:
            node = etree.SubElement(relationships, _q("relationship"), identifier=rel["id"], source=rel["source"],
                                    target=rel["target"])
            node.set(XSI_TYPE, rel["type"])
            if rel["type"] == "Access":
                node.set("accessType", "ReadWrite")  # an application holding data reads and writes it
            if rel["name"]:
                _named(node, "name", rel["name"], model.language)
            if rel["doc"]:
                _named(node, "documentation", rel["doc"], model.language)
            _write_properties(node, model, rel["props"])
    if model.properties:
        definitions = etree.SubElement(root, _q("propertyDefinitions"))
        for name, ident in model.properties.items():
            node = etree.SubElement(definitions, _q("propertyDefinition"), identifier=ident, type="string")
            _named(node, "name", name, model.language)
    _write_views(root, workspace, model)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _write_views(root: etree._Element, workspace: Workspace, model: _Model) -> None:
    """One diagram per critical service: what it rests on, in the dependency graph's columns."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from mue.graph.build import build_graph
    from mue.graph.layout import layered
    from mue.graph.svg import impact_selection

    graph = build_graph(workspace)
    start, end = graph.offsets.get("service", (0, 0))
    critical = [n for n in range(start, end) if int(graph.criticality[n]) >= CRITICAL]
    if not critical:
        return
    diagrams = etree.SubElement(etree.SubElement(root, _q("views")), _q("diagrams"))
    by_source: dict[str, list[dict[str, Any]]] = {}  # a view's connections: from its nodes, not every relationship
    for rel in model.relationships:
        by_source.setdefault(rel["source"], []).append(rel)
    for service in critical:
        selection = impact_selection(graph, service, reverse=True, include_data=False)  # what it rests on
        left_out = max(0, len(selection.nodes) - MAX_VIEW_NODES)
        if left_out:  # the nearest first (the selection is by hops): a wall of boxes is read by nobody
            kept = set(selection.nodes[:MAX_VIEW_NODES])
            selection.nodes = selection.nodes[:MAX_VIEW_NODES]
            selection.edges = [e for e in selection.edges if e[0] in kept and e[1] in kept]
        layout = layered(graph, selection.nodes, selection.edges, column_gap=230, row_gap=85)
        view = etree.SubElement(diagrams, _q("view"), identifier=f"view.service.{graph.slugs[service]}")
        view.set(XSI_TYPE, "Diagram")
        _named(view, "name", _("Dependencies of %(service)s") % {"service": graph.names[service]}, model.language)
        if left_out:
            _named(view, "documentation", ngettext(
                "The %(shown)s nearest objects are drawn; %(count)s more, further away, are in Mue's dependency graph.",
                "The %(shown)s nearest objects are drawn; %(count)s more, further away, are in Mue's dependency graph.",
                left_out) % {"shown": MAX_VIEW_NODES, "count": left_out}, model.language)
        placed: dict[str, str] = {}
        for node in selection.nodes:
            ident = identifier(graph.type_of(node), graph.slugs[node])
            if ident not in model.element_types:
                continue
            cx, cy = layout.positions[node]
            placed[ident] = f"{view.get('identifier')}.{ident}"
            etree.SubElement(view, _q("node"), identifier=placed[ident], elementRef=ident,
                             x=str(max(0, round(cx - NODE_W / 2))), y=str(max(0, round(cy - NODE_H / 2))),
                             w=str(NODE_W), h=str(NODE_H)).set(XSI_TYPE, "Element")
        # The links the dependency graph draws between these objects, not every relationship among them
        # (a site aggregating all its assets, a vendor's every application would hide the dependencies).
        drawn = {frozenset((identifier(graph.type_of(a), graph.slugs[a]), identifier(graph.type_of(b), graph.slugs[b])))
                 for a, b, _kind in selection.edges}
        for rel in (rel for source in placed for rel in by_source.get(source, ())):
            if rel["target"] in placed and frozenset((rel["source"], rel["target"])) in drawn:
                etree.SubElement(view, _q("connection"), identifier=f"{view.get('identifier')}.{rel['id']}",
                                 relationshipRef=rel["id"], source=placed[rel["source"]],
                                 target=placed[rel["target"]]).set(XSI_TYPE, "Relationship")


def validate(data: bytes) -> list[str]:
    """The XSD errors of an exchange file (empty: valid on archimate3_Diagram.xsd, shipped with Mue)."""
    schema = _schema()
    document = etree.fromstring(data, _safe_parser())
    if schema.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


def _safe_parser() -> etree.XMLParser:
    """No network, no external entities, no DTD: an uploaded file cannot make the server fetch or expand."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


_SCHEMA: list[etree.XMLSchema] = []


def _schema() -> etree.XMLSchema:
    """The Open Group's schema, its imports (xml.xsd) read from the copies shipped next to it, not the web."""
    if not _SCHEMA:
        from mue.interchange.archimate.mapping import DATA

        class Local(etree.Resolver):
            def resolve(self, url, pubid, context):  # noqa: ANN001, ANN201 (lxml's interface)
                local = DATA / url.rsplit("/", 1)[-1]
                return self.resolve_filename(str(local), context) if local.exists() else None

        parser = etree.XMLParser(no_network=True)
        parser.resolvers.add(Local())
        _SCHEMA.append(etree.XMLSchema(etree.parse(str(DATA / "archimate3_Diagram.xsd"), parser)))
    return _SCHEMA[0]
