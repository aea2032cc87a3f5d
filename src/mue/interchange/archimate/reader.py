"""An ArchiMate exchange file (3.x, or 2.1) read as a map document for the one import pipeline.

Each element becomes an object of the register type its element type stands for
(:data:`mapping.IMPORTED_ELEMENTS`, or the ``mue-type`` property Mue writes), each relationship the
reference field it means (:data:`mapping.RELATIONS` and :data:`mapping.ALSO_READ`), each Flow a data
flow. Identifiers are kept: ``application.portail`` (written by Mue) is the application ``portail``,
any other identifier becomes the slug (``id-37d5bc4b``), so that importing the same file again finds
the same objects and changes nothing. What has no place in the register (a Business Function, a
view, a relationship between two unmapped elements...) is listed, type by type, in the report's
notes: nothing is dropped without being said. Then :func:`mue.interchange.importer.import_document`
validates it all (a property value that is not one the field accepts is a problem placed on its
element) and writes it or nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from lxml import etree

from mue.core import custom
from mue.core.custom import COLUMN_PREFIX, Definition
from mue.core.registry import registry
from mue.interchange.archimate.mapping import (
    ALSO_READ,
    DERIVED_ELEMENTS,
    ELEMENT_TYPES,
    FIELD_PROPERTY,
    FLOW_ENDPOINTS,
    IMPORTED_ELEMENTS,
    NS,
    NS_ARCHI,
    NS_V2,
    RELATIONS,
    TYPE_PROPERTY,
    V2_RENAMES,
    XSI,
    Relation,
)
from mue.interchange.problems import ImportFailed, Problem
from mue.interchange.sources import slugify

XSI_TYPE = f"{{{XSI}}}type"
#: Elements listed by name in the report, per type, before "and N more".
SHOWN = 5


@dataclass
class Reading:
    """The map document read from a model, where each item came from, and what was left out."""

    document: dict[str, Any]
    origins: dict[tuple[str, int], str] = field(default_factory=dict)  # (type key, index) -> element identifier
    notes: list[str] = field(default_factory=list)
    version: str = "3"

    def locate(self, path: tuple) -> tuple[tuple, str]:
        """A problem's place: the element or relationship it comes from, by identifier."""
        if len(path) >= 2 and isinstance(path[1], int):
            origin = self.origins.get((path[0], path[1]))
            if origin:
                return (1, origin), _("element %(id)s") % {"id": origin}
        return (0,), ""


def _refuse(source: str, message: str) -> ImportFailed:
    return ImportFailed([Problem(source, (0,), "", "", message)])


def parse(data: bytes, source: str) -> etree._Element:
    """The root of an exchange file, or a clear refusal (not XML, Archi's own format, not ArchiMate)."""
    from mue.interchange.archimate.writer import _safe_parser

    try:
        root = etree.fromstring(data, _safe_parser())
    except etree.XMLSyntaxError as exc:
        raise ImportFailed([Problem(source, (exc.lineno or 0,), _("line %(n)s") % {"n": exc.lineno or 0}, "",
                                    _("not well-formed XML: %(error)s") % {"error": exc.msg})]) from None
    namespace = etree.QName(root).namespace or ""
    if namespace == NS_ARCHI or namespace.startswith("http://www.archimatetool.com"):
        raise _refuse(source, _("this is an Archi model file (.archimate), not an exchange file: in Archi, use "
                                "File › Export › Model to Open Exchange File…, then import that file"))
    if etree.QName(root).localname != "model" or namespace not in (NS, NS_V2):
        raise _refuse(source, _("not an ArchiMate Open Exchange file (expected a <model> in the namespace %(ns)s)")
                      % {"ns": NS})
    return root


class _Reader:
    def __init__(self, root: etree._Element, source: str, existing: dict[str, set[str]],
                 custom_fields: dict[str, dict[str, Definition]] | None = None):
        self.root = root
        self.custom_fields = custom_fields or {}  # type key -> slug -> the target workspace's definition
        self.source = source
        self.v2 = etree.QName(root).namespace == NS_V2
        self.ns = NS_V2 if self.v2 else NS
        self.existing = existing  # type key -> slugs already in the workspace
        self.items: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.origins: dict[tuple[str, int], str] = {}
        self.objects: dict[str, tuple[str, dict[str, Any]]] = {}  # identifier -> (register type, item)
        self.unmapped: dict[str, list[str]] = defaultdict(list)  # element type -> names
        self.derived: dict[str, int] = defaultdict(int)
        self.left_out: dict[str, list[str]] = defaultdict(list)  # reason -> relationship descriptions
        self.unknown_properties: dict[tuple[str, str], int] = defaultdict(int)
        self.names: dict[str, str] = {}
        self.properties = self._property_names()

    # -- helpers ------------------------------------------------------------------------------

    def q(self, tag: str) -> str:
        return f"{{{self.ns}}}{tag}"

    def _type_of(self, node: etree._Element) -> str:
        value = node.get(XSI_TYPE) or ""
        value = value.split(":", 1)[-1]
        if self.v2:
            value = V2_RENAMES.get(value, value.removesuffix("Relationship"))
        return value

    def _text(self, node: etree._Element, tag: str) -> str:
        """The text of ``name`` or ``documentation`` (2.1 says ``label``): the first, or the one in English."""
        tags = [tag, "label"] if self.v2 and tag == "name" else [tag]
        for name in tags:
            found = node.findall(self.q(name))
            if found:
                return " ".join((found[0].text or "").split()) if tag == "name" else (found[0].text or "").strip()
        return ""

    def _property_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        if self.v2:
            for node in self.root.iter(self.q("propertydef")):
                names[node.get("identifier", "")] = node.get("name", "")
        else:
            for node in self.root.iter(self.q("propertyDefinition")):
                names[node.get("identifier", "")] = self._text(node, "name")
        return names

    def _props(self, node: etree._Element) -> dict[str, str]:
        found: dict[str, str] = {}
        holder = node.find(self.q("properties"))
        children = holder.findall(self.q("property")) if holder is not None else node.findall(self.q("property"))
        for prop in children:
            ref = prop.get("propertyDefinitionRef") or prop.get("identifierref") or ""
            value = prop.find(self.q("value"))
            found[self.properties.get(ref, ref)] = (value.text or "").strip() if value is not None else ""
        return found

    # -- elements -----------------------------------------------------------------------------

    def read_elements(self) -> None:
        for node in self.root.iter(self.q("element")):
            ident, element_type = node.get("identifier", ""), self._type_of(node)
            name = self._text(node, "name") or ident
            self.names[ident] = name
            props = self._props(node)
            type_name, default_kind = self._register_type(element_type, props.get(TYPE_PROPERTY))
            if type_name is None:
                if any(element_type == derived for derived, _prefix in DERIVED_ELEMENTS.values()) and \
                        ident.split(".", 1)[0] in {prefix for _t, prefix in DERIVED_ELEMENTS.values()}:
                    self.derived[element_type] += 1  # Mue's own networks and system software: read from fields
                else:
                    self.unmapped[element_type].append(name)
                continue
            otype = registry.by_singular(type_name)
            slug = self._slug(type_name, ident)
            item: dict[str, Any] = {"slug": slug, "name": name[:200]}
            description = self._text(node, "documentation")
            if description:
                item["description"] = description
            self._values(otype.key, item, props)
            if default_kind and "kind" not in item and slug not in self.existing.get(otype.key, set()):
                item["kind"] = default_kind  # a new object needs one; an existing object keeps its own
            self.origins[(otype.key, len(self.items[otype.key]))] = ident
            self.items[otype.key].append(item)
            self.objects[ident] = (type_name, item)

    def _register_type(self, element_type: str, declared: str | None) -> tuple[str | None, str | None]:
        if declared in ELEMENT_TYPES and declared != "asset":
            return declared, None
        mapped = IMPORTED_ELEMENTS.get(element_type)
        if declared == "asset" and mapped and mapped[0] == "asset":
            return "asset", mapped[1]
        return mapped if mapped else (None, None)

    @staticmethod
    def _slug(type_name: str, ident: str) -> str:
        prefix = f"{type_name}."
        return ident[len(prefix):] if ident.startswith(prefix) and ident[len(prefix):] else slugify(ident)

    def _values(self, key: str, item: dict[str, Any], props: dict[str, str]) -> None:
        fields = {mf.key: mf for mf in registry[key].fields}
        for name, text in props.items():
            if name in (TYPE_PROPERTY, FIELD_PROPERTY) or (key == "flows" and name == "data"):
                continue
            group, _dot, member = name.partition(".")
            mf = fields.get(group)
            if mf is not None and mf.kind == "group" and member in {m.key for m in mf.members}:
                target = next(m for m in mf.members if m.key == member)
                item.setdefault(group, {})[member] = _value(target.field, text)
            elif mf is not None and mf.kind == "value" and name not in ("slug", "name", "description"):
                item[name] = _value(mf.field, text)
            elif name.startswith(COLUMN_PREFIX) and member in self.custom_fields.get(key, {}):
                definition = self.custom_fields[key][member]
                item.setdefault("custom", {})[member] = _value(definition.map_field().field, text)
            else:
                self.unknown_properties[(key, name)] += 1

    # -- relationships ------------------------------------------------------------------------

    def read_relationships(self) -> None:
        for node in self.root.iter(self.q("relationship")):
            relation, ident = self._type_of(node), node.get("identifier", "")
            source, target = node.get("source", ""), node.get("target", "")
            described = f"{relation} {self.names.get(source, source)} → {self.names.get(target, target)}"
            props = self._props(node)
            if source not in self.objects or target not in self.objects:
                declared = props.get(FIELD_PROPERTY, "")
                if declared.split(".", 1)[-1] in DERIVED_ELEMENTS:
                    continue  # Mue's link to a derived network or system software: the asset's field says it
                self.left_out[_("one end is not in the register")].append(described)
                continue
            (source_type, source_item), (target_type, target_item) = self.objects[source], self.objects[target]
            if relation == "Flow" and source_type in FLOW_ENDPOINTS and target_type in FLOW_ENDPOINTS:
                self._flow(node, ident, source_type, source_item, target_type, target_item, props)
                continue
            rule = self._rule(relation, source_type, target_type, props.get(FIELD_PROPERTY))
            if rule is None:
                self.left_out[_("no register link of this kind between these types")].append(described)
                continue
            owner, other = (source_item, target_item) if rule.owner_is_source else (target_item, source_item)
            self._link(owner, rule, other["slug"], described)

    def _rule(self, relation: str, source_type: str, target_type: str, declared: str | None) -> Relation | None:
        candidates = [r for r in (*RELATIONS, *ALSO_READ) if r.source == source_type and r.target == target_type]
        if declared:  # Mue wrote which field it is (a relation it had to write as an Association, an owner...)
            for rule in candidates:
                if f"{rule.owner}.{rule.field}" == declared:
                    return rule
        matching = [r for r in candidates if r.relation == relation]
        return matching[0] if matching else None

    def _link(self, owner: dict[str, Any], rule: Relation, slug: str, described: str) -> None:
        mf = next(m for m in registry.by_singular(rule.owner).fields if m.key == rule.field)
        if mf.kind == "refs":
            values = owner.setdefault(rule.field, [])
            if slug not in values:
                values.append(slug)
            return
        if rule.field == "business_owner" and owner.get("business_owner") not in (None, slug):
            # a second role assigned to a service, with nothing saying which: the next owner field
            for spare in ("it_owner", "backup_owner"):
                if owner.get(spare) in (None, slug):
                    owner[spare] = slug
                    return
        if owner.get(rule.field) not in (None, slug):
            self.left_out[_("the field holds one value and has one already")].append(described)
            return
        owner[rule.field] = slug

    def _flow(self, node: etree._Element, ident: str, source_type: str, source_item: dict, target_type: str,
              target_item: dict, props: dict[str, str]) -> None:
        def endpoint(type_name: str, item: dict) -> str:
            return f"{type_name}:{item['slug']}"  # typed: an application and a party may share a slug

        slug = self._slug("flow", ident)
        item: dict[str, Any] = {"slug": slug, "from": endpoint(source_type, source_item),
                                "to": endpoint(target_type, target_item)}
        name = self._text(node, "name")
        if name:
            item["name"] = name[:200]
        description = self._text(node, "documentation")
        if description:
            item["description"] = description
        self._values("flows", item, props)
        if props.get("data"):
            item["data"] = [s.strip() for s in props["data"].split(";") if s.strip()]
        self.origins[("flows", len(self.items["flows"]))] = ident
        self.items["flows"].append(item)

    # -- the report ---------------------------------------------------------------------------

    def notes(self) -> list[str]:
        notes: list[str] = []
        for element_type, names in sorted(self.unmapped.items()):
            shown = ", ".join(names[:SHOWN]) + (_(" and %(count)s more") % {"count": len(names) - SHOWN}
                                                 if len(names) > SHOWN else "")
            notes.append(ngettext("not imported: %(count)s %(type)s (no register type for it): %(names)s",
                                  "not imported: %(count)s %(type)s (no register type for them): %(names)s",
                                  len(names)) % {"count": len(names), "type": element_type, "names": shown})
        for element_type, count in sorted(self.derived.items()):
            notes.append(_("%(count)s %(type)s read back from the assets' fields (network segment, operating "
                           "system), not as objects") % {"count": count, "type": element_type})
        for reason, described in sorted(self.left_out.items()):
            shown = "; ".join(described[:SHOWN]) + (_(" and %(count)s more") % {"count": len(described) - SHOWN}
                                                    if len(described) > SHOWN else "")
            notes.append(ngettext("not imported: %(count)s relationship (%(reason)s): %(list)s",
                                  "not imported: %(count)s relationships (%(reason)s): %(list)s",
                                  len(described)) % {"count": len(described), "reason": reason, "list": shown})
        for (key, name), count in sorted(self.unknown_properties.items()):
            notes.append(_("property '%(name)s' of %(count)s %(type)s not imported (no such field)")
                         % {"name": name, "count": count, "type": registry[key].label_plural})
        views = list(self.root.iter(self.q("view")))
        if views:
            notes.append(ngettext("%(count)s view not imported (Mue draws its own diagrams from the links)",
                                  "%(count)s views not imported (Mue draws its own diagrams from the links)",
                                  len(views)) % {"count": len(views)})
        if self.v2:
            notes.insert(0, _("ArchiMate 2.1 file: read with the 3.x names (Used By as Serving...)"))
        return notes


def _value(model_field: models.Field | None, text: str) -> Any:
    """A property's text as the map value of its field; what does not convert is passed on for the
    importer to explain on its element."""
    if isinstance(model_field, models.BooleanField):
        lowered = text.strip().lower()
        return True if lowered in ("true", "yes", "oui", "1") else False if lowered in ("false", "no", "non", "0") \
            else text
    if isinstance(model_field, models.IntegerField | models.PositiveIntegerField):
        try:
            return int(text)
        except ValueError:
            return text
    if isinstance(model_field, models.DecimalField):
        try:
            return float(text)
        except ValueError:
            return text
    if isinstance(model_field, models.JSONField):
        return [part.strip() for part in text.split(";") if part.strip()]
    return text


def read_model(data: bytes, source: str, workspace_slug: str | None) -> Reading:
    """Read an exchange file into a map document for ``workspace_slug`` (created with the model's name
    when it does not exist)."""
    from mue.core.models import Workspace

    if not workspace_slug:
        raise _refuse(source, _("an ArchiMate import needs a workspace (--workspace)"))
    root = parse(data, source)
    workspace = Workspace.objects.filter(slug=workspace_slug).first()
    existing: dict[str, set[str]] = {}
    if workspace is not None:
        for key in ("applications", "assets"):  # the types whose new objects take a default kind
            existing[key] = set(registry[key].model.objects.filter(workspace=workspace).values_list("slug", flat=True))
    definitions = custom.definitions(workspace) if workspace is not None else []
    custom_fields: dict[str, dict[str, Definition]] = defaultdict(dict)
    for definition in definitions:
        custom_fields[definition.object_type][definition.slug] = definition
    reader = _Reader(root, source, existing, custom_fields)
    reader.read_elements()
    reader.read_relationships()
    document: dict[str, Any] = {}
    if workspace is None:
        name = reader._text(root, "name") or workspace_slug
        document["workspace"] = {"slug": workspace_slug, "name": name[:200]}
    for otype in registry:
        if reader.items.get(otype.key):
            document[otype.key] = reader.items[otype.key]
    return Reading(document, reader.origins, reader.notes(), "2" if reader.v2 else "3")
