"""Export of a whole workspace as a map document (YAML or JSON), the inverse of the importer.

Queries are constant in the number of objects: one per type, one per many-to-many field and one for
document links. Empty values and defaults are left out, so files stay readable and a re-import of
an export into an empty workspace gives an identical workspace.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import re
from collections import defaultdict
from typing import Any

import orjson
import yaml
from django.db.models import NOT_PROVIDED, F

from mue.core.models import Workspace
from mue.core.registry import ENDPOINT_TYPES, MapField, ObjectType, registry
from mue.core.union import union_rows
from mue.documents.models import DocumentLink
from mue.interchange.schema import FORMAT

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _plain(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _is_default(mf: MapField, value: Any) -> bool:
    if value is None or value == "" or value == []:
        return True
    default = mf.field.default
    if default is NOT_PROVIDED:
        return False
    return (default() if callable(default) else default) == value


def export_workspace(workspace: Workspace) -> dict[str, Any]:
    """The whole workspace as a map document (plain dicts and lists)."""
    rows: dict[str, list[dict]] = {}
    slugs: dict[str, dict[int, str]] = {}
    for otype in registry:
        columns = [f.attname for mf in otype.fields for f in _model_fields(mf)]
        columns += [c for mf in otype.fields if mf.kind == "endpoint" for c in _endpoint_columns(mf)]
        qs = otype.model.objects.filter(workspace=workspace).order_by("slug")
        rows[otype.key] = list(qs.values("id", *columns))
        slugs[otype.singular] = {row["id"]: row["slug"] for row in rows[otype.key]}
    m2m = _many_to_many(workspace)
    links = _document_links(workspace, slugs)
    endpoint_names = _endpoint_names(slugs)

    document: dict[str, Any] = {"format": FORMAT, "workspace": _workspace_block(workspace)}
    for otype in registry:
        items = [_item(otype, row, slugs, m2m, links, endpoint_names) for row in rows[otype.key]]
        if items:
            document[otype.key] = items
    return document


def _model_fields(mf: MapField) -> list:
    if mf.kind in ("value", "ref", "custom"):
        return [mf.field]
    if mf.kind == "group":
        return [m.field for m in mf.members]
    return []


def _endpoint_columns(mf: MapField) -> list[str]:
    return [f"{mf.model_field_prefix}_{kind}_id" for kind in ENDPOINT_TYPES]


def _workspace_block(ws: Workspace) -> dict[str, Any]:
    block = {"slug": ws.slug, "name": ws.name, "kind": ws.kind, "country": ws.country, "language": ws.language}
    if ws.description:
        block["description"] = ws.description
    if ws.population is not None:
        block["population"] = ws.population
    return block


def _many_to_many(ws: Workspace) -> dict[tuple[str, str], dict[int, list[int]]]:
    out: dict[tuple[str, str], dict[int, list[int]]] = {}
    for otype in registry:
        for mf in otype.m2m_fields:
            rel = otype.model._meta.get_field(mf.attname)
            through = rel.remote_field.through
            src, dst = f"{rel.m2m_field_name()}_id", f"{rel.m2m_reverse_field_name()}_id"
            pairs: dict[int, list[int]] = defaultdict(list)
            for a, b in through.objects.filter(**{f"{rel.m2m_field_name()}__workspace": ws}).values_list(src, dst):
                pairs[a].append(b)
            out[(otype.key, mf.key)] = pairs
    return out


def _document_links(ws: Workspace, slugs: dict[str, dict[int, str]]) -> dict[int, list[str]]:
    links: dict[int, list[str]] = defaultdict(list)
    for doc, kind, target in DocumentLink.objects.filter(document__workspace=ws).values_list(
            "document_id", "target_type", "target_id"):
        slug = slugs.get(kind, {}).get(target)
        if slug is not None:
            links[doc].append(f"{kind}:{slug}")
    return links


def _endpoint_names(slugs: dict[str, dict[int, str]]) -> dict[str, dict[int, str]]:
    """How a flow names an endpoint: the bare slug when no other endpoint type uses it."""
    count: dict[str, int] = defaultdict(int)
    for kind in ENDPOINT_TYPES:
        for slug in slugs[kind].values():
            count[slug] += 1
    return {kind: {i: (s if count[s] == 1 else f"{kind}:{s}") for i, s in slugs[kind].items()}
            for kind in ENDPOINT_TYPES}


def _item(otype: ObjectType, row: dict, slugs, m2m, links, endpoint_names, complete: bool = False) -> dict[str, Any]:
    """One object as a map item; ``complete`` keeps empty values and defaults (the API shows every key)."""
    item: dict[str, Any] = {}
    for mf in otype.fields:
        if mf.kind == "value":
            value = row[mf.attname]
            if complete or mf.key in ("slug", "name") or not _is_default(mf, value):
                item[mf.key] = _plain(value)
        elif mf.kind == "ref":
            if row[mf.attname] is not None:
                item[mf.key] = slugs[mf.target][row[mf.attname]]
            elif complete:
                item[mf.key] = None
        elif mf.kind == "refs":
            targets = m2m[(otype.key, mf.key)].get(row["id"])
            if targets or complete:
                item[mf.key] = sorted(slugs[mf.target][t] for t in targets or ())
        elif mf.kind == "group":
            group = {m.key: _plain(row[m.attname]) for m in mf.members if complete or row[m.attname] is not None}
            if group:
                item[mf.key] = group
        elif mf.kind == "endpoint":
            for kind in ENDPOINT_TYPES:
                target = row[f"{mf.model_field_prefix}_{kind}_id"]
                if target is not None:
                    item[mf.key] = endpoint_names[kind][target]
        elif mf.kind == "links":
            if links.get(row["id"]) or complete:
                item[mf.key] = sorted(links.get(row["id"], ()))
        elif mf.kind == "custom":
            values = row[mf.attname]
            if values or complete:
                item[mf.key] = dict(sorted((values or {}).items()))
    return item


def dumps(document: dict[str, Any], fmt: str) -> bytes:
    """Serialise a map document as YAML or JSON."""
    if fmt == "json":
        return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"
    try:
        return _BlockYaml().dump(document)
    except TypeError:  # a value the fast writer does not know: PyYAML knows every type
        return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120).encode("utf-8")


# A plain (unquoted) YAML scalar needs no escaping and cannot be read as anything but that string:
# letters, digits and a few inner punctuation marks, checked again against YAML's implicit types.
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9_\u00c0-\u024f][A-Za-z0-9_\u00c0-\u024f .,/()'+-]*")
# Characters a YAML reader rejects or reads as line breaks: written as \u escapes when quoted.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_STR_TAG = "tag:yaml.org,2002:str"


class _BlockYaml:
    """Writes a map document in YAML block style, as ``yaml.dump`` does, several times faster.

    PyYAML represents and resolves every scalar in Python (about 25 s for a 146k-object workspace);
    a map document only holds mappings, lists, strings, numbers, booleans and nulls, so this writes
    them directly: strings plain when they cannot be misread (the YAML resolver is asked once per
    distinct string), double-quoted with JSON escapes otherwise.
    """

    def __init__(self) -> None:
        self.strings: dict[str, str] = {}
        self.resolver = yaml.resolver.Resolver()

    def dump(self, document: dict[str, Any]) -> bytes:
        if not isinstance(document, dict) or not document:
            raise TypeError("a map document is a non-empty mapping")  # yaml.dump writes the rest
        out: list[str] = []
        self.mapping(document, "", "", out)
        return ("\n".join(out) + "\n").encode("utf-8")

    def mapping(self, m: dict, indent: str, first: str, out: list[str]) -> None:
        prefix = first
        for key, value in m.items():
            k = self.scalar(key)
            if isinstance(value, dict) and value:
                out.append(f"{prefix}{k}:")
                self.mapping(value, indent + "  ", indent + "  ", out)
            elif isinstance(value, list) and value:
                out.append(f"{prefix}{k}:")
                self.sequence(value, indent, out)  # indentless, as yaml.dump writes them
            else:
                out.append(f"{prefix}{k}: {self.scalar(value)}")
            prefix = indent

    def sequence(self, items: list, indent: str, out: list[str]) -> None:
        for value in items:
            if isinstance(value, dict) and value:
                self.mapping(value, indent + "  ", indent + "- ", out)
            elif isinstance(value, list) and value:
                out.append(f"{indent}-")
                self.sequence(value, indent + "  ", out)
            else:
                out.append(f"{indent}- {self.scalar(value)}")

    def scalar(self, value: Any) -> str:
        if isinstance(value, str):
            text = self.strings.get(value)
            if text is None:
                text = self.strings[value] = self.string(value)
            return text
        if value is None:
            return "null"
        if value is True or value is False:
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            return _yaml_float(value)
        if value == [] or value == {}:
            return "[]" if isinstance(value, list) else "{}"
        raise TypeError(f"no YAML writer for {type(value).__name__}")

    def string(self, value: str) -> str:
        if (_PLAIN_TEXT.fullmatch(value) and not value.endswith(" ")
                and self.resolver.resolve(yaml.ScalarNode, value, (True, False)) == _STR_TAG):
            return value
        return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def _yaml_float(value: float) -> str:
    """A float as PyYAML's SafeRepresenter writes it (YAML 1.1 needs a dot before an exponent)."""
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value).lower()
    if "." not in text and "e" in text:
        text = text.replace("e", ".0e", 1)
    return text


#: Ids one query may name: under SQLite's limit of bound parameters (32,766), with room to spare.
QUERY_IDS = 20_000


def _id_batches(ids: dict[Any, list[int]]) -> list[list[tuple[Any, list[int]]]]:
    """``(key, ids)`` pieces (a key: a type, a field) grouped so that no group names more than
    :data:`QUERY_IDS` ids: one group (one query) for any page or list up to that many, more beyond."""
    batches: list[list[tuple[Any, list[int]]]] = [[]]
    room = QUERY_IDS
    for kind, values in ids.items():
        while values:
            if room == 0:
                batches.append([])
                room = QUERY_IDS
            piece, values = values[:room], values[room:]
            batches[-1].append((kind, piece))
            room -= len(piece)
    return [batch for batch in batches if batch]


def export_items(otype: ObjectType, queryset, complete: bool = False) -> list[dict[str, Any]]:
    """Some objects of one type as map items (a filtered list's export), in the queryset's order.

    The same items as :func:`export_workspace` gives for them, so a sheet made of them imports back
    unchanged (``complete``: with every key, empty values and defaults included, as the API answers).
    Queries: one for the rows, one for the pairs of every many-to-many field, one for the links, one
    for the slugs of every referenced type (split only for lists naming more than :data:`QUERY_IDS` ids).
    """
    columns = [f.attname for mf in otype.fields for f in _model_fields(mf)]
    columns += [c for mf in otype.fields if mf.kind == "endpoint" for c in _endpoint_columns(mf)]
    rows = list(queryset.values("id", *columns))
    ids = [row["id"] for row in rows]
    wanted: dict[str, set[int]] = defaultdict(set)
    for mf in otype.fields:
        members = mf.members if mf.kind == "group" else (mf,)
        for m in members:
            if m.kind == "ref":
                wanted[m.target].update(row[m.attname] for row in rows if row[m.attname] is not None)
        if mf.kind == "endpoint":
            for kind in ENDPOINT_TYPES:
                wanted[kind].update(row[f"{mf.model_field_prefix}_{kind}_id"] for row in rows
                                    if row[f"{mf.model_field_prefix}_{kind}_id"] is not None)
    m2m: dict[tuple[str, str], dict[int, list[int]]] = {}
    fields = list(otype.m2m_fields)
    tables = []
    for mf in fields:
        m2m[(otype.key, mf.key)] = defaultdict(list)
        rel = otype.model._meta.get_field(mf.attname)
        tables.append((rel.remote_field.through, f"{rel.m2m_field_name()}_id", f"{rel.m2m_reverse_field_name()}_id"))
    # The pairs of every many-to-many field in one query; split (the rows' ids are named once per field)
    # only for lists beyond the database's parameter limit.
    for batch in _id_batches({n: ids for n in range(len(fields))}):
        parts = [tables[n][0].objects.filter(**{f"{tables[n][1]}__in": piece})
                 .annotate(mue_src=F(tables[n][1]), mue_dst=F(tables[n][2])) for n, piece in batch]
        for i, left, right in union_rows(parts, ("mue_src", "mue_dst")):
            mf = fields[batch[i][0]]
            m2m[(otype.key, mf.key)][left].append(right)
            wanted[mf.target].add(right)
    links: dict[int, list[str]] = defaultdict(list)
    if any(mf.kind == "links" for mf in otype.fields):
        raw = list(DocumentLink.objects.filter(document_id__in=ids).values_list("document_id", "target_type",
                                                                                "target_id"))
        for _doc, kind, target in raw:
            wanted[kind].add(target)
    slugs: dict[str, dict[int, str]] = {kind: {} for kind in ENDPOINT_TYPES}
    named = [kind for kind, targets in wanted.items() if targets]
    for kind in named:
        slugs[kind] = {}
    for batch in _id_batches({kind: sorted(wanted[kind]) for kind in named}):  # one query, but for huge lists
        parts = [registry.by_singular(kind).model.objects.filter(pk__in=ids) for kind, ids in batch]
        for n, pk, slug in union_rows(parts, ("id", "slug")):
            slugs[batch[n][0]][pk] = slug
    if any(mf.kind == "links" for mf in otype.fields):
        for doc, kind, target in raw:
            if target in slugs.get(kind, {}):
                links[doc].append(f"{kind}:{slugs[kind][target]}")
    endpoint_names = {kind: {i: f"{kind}:{s}" for i, s in slugs[kind].items()} for kind in ENDPOINT_TYPES}
    return [_item(otype, row, slugs, m2m, links, endpoint_names, complete) for row in rows]
