"""The one import pipeline: a parsed map document in, a validated all-or-nothing upsert out.

YAML, JSON, CSV and XLSX all end here (the tabular readers build the same document). Stages:

1. **validate** everything and collect every problem (schema, duplicates, references): nothing is
   written unless the whole file is right;
2. **write** in one transaction, type by type in registry order: new objects as plain rows through
   one prepared ``INSERT`` (:mod:`mue.core.bulk`: no model instance per row), changed ones
   with ``bulk_update``, self references, then many-to-many links; unchanged objects are not
   touched, so re-importing a file changes nothing and logs nothing;
3. **log** one change-log entry per created or updated object, with the actor, source and request
   id of the current :func:`mue.core.changelog.change_context`, written in the same transaction as
   the objects (as plain rows too: at 100k objects, model instances cost more than the inserts).

Keys absent from an item leave the stored value as it is (upsert by slug); ``null`` clears it.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import fastjsonschema
import jsonschema
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mue.core import bulk, changelog, custom
from mue.core.inputs import excerpt
from mue.core.models import Workspace
from mue.core.registry import ENDPOINT_TYPES, MapField, ObjectType, registry
from mue.documents.models import DocumentLink
from mue.interchange import custom_values
from mue.interchange import schema as map_schema
from mue.interchange.normalize import TagSpellings, normalize_document
from mue.interchange.problems import ImportFailed, Problem, rows_text
from mue.interchange.sources import Locator, json_locator, path_label, slugify

ProgressHook = Callable[[str, int], None]


@dataclass
class ImportReport:
    """What an import did, per type."""

    workspace: str
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    links_written: int = 0
    notes: list[str] = field(default_factory=list)  # values read differently from how they were written
    # (type key, slug, "create" or "update", changed fields): what a preview lists object by object
    changes: list[tuple[str, str, str, list[str]]] = field(default_factory=list)
    dry_run: bool = False  # a preview: everything was done, then rolled back

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def summary(self) -> str:
        return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": sum(self.created.values()),
            "updated": sum(self.updated.values()),
            "unchanged": sum(self.unchanged.values()),
        }

    def as_dict(self) -> dict[str, Any]:
        def nonzero(counter: Counter) -> dict[str, int]:
            return {key: n for key, n in counter.items() if n}

        return {
            "workspace": self.workspace,
            "created": nonzero(self.created),
            "updated": nonzero(self.updated),
            "unchanged": nonzero(self.unchanged),
        }


@dataclass
class _Pending:
    """The change-log entry of one object, completed once its links are written."""

    otype: ObjectType
    obj_id: int
    slug: str
    before: dict | None
    after: dict


@dataclass
class _Validators:
    fast: dict[str, Callable] = field(default_factory=dict)
    full: dict[str, jsonschema.Draft202012Validator] = field(default_factory=dict)


_validators = _Validators()


def _validator(key: str) -> tuple[Callable, jsonschema.Draft202012Validator]:
    if key not in _validators.fast:
        schema = map_schema.workspace_schema() if key == "workspace" else map_schema.object_schema(key)
        _validators.fast[key] = fastjsonschema.compile(schema)
        _validators.full[key] = jsonschema.Draft202012Validator(schema)
    return _validators.fast[key], _validators.full[key]


def _real_date(value: Any) -> None:
    """A date the schema's pattern lets through must also exist (no 2024-13-45)."""
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationError(_("'%(value)s' is not a date (YYYY-MM-DD)") % {"value": value}) from None


@cache
def _django_validators(key: str) -> list[tuple[MapField, list]]:
    """Field validators the schema cannot say (URL, email, a real date), run only on non-empty values."""
    return [
        (mf, [_real_date] if isinstance(mf.field, models.DateField) else list(mf.field.validators))
        for mf in registry[key].fields
        if mf.kind == "value" and isinstance(mf.field, models.URLField | models.EmailField | models.DateField)
    ]


#: Checks of a whole document that no item's schema can state, added by domain apps with
#: :func:`add_document_check` (mue.costs: the percentages of a shared cost line sum to 100). Each is called
#: once the references are checked, reads ``run.items`` and ``run.existing_workspace()``, and reports with
#: ``run.problem(path, message)``: its problems join the others, and nothing is written.
DOCUMENT_CHECKS: list[Callable[[MapImport], None]] = []


def add_document_check(check: Callable[[MapImport], None]) -> Callable[[MapImport], None]:
    if check not in DOCUMENT_CHECKS:
        DOCUMENT_CHECKS.append(check)
    return check


class MapImport:
    """Import one map document into a workspace. Use :func:`import_document`."""

    def __init__(
        self,
        document: Any,
        source: str,
        locate: Locator | None,
        workspace_slug: str | None,
        progress: ProgressHook | None = None,
        note_defaults: bool = False,
    ):
        self.document = document
        # Spreadsheets: a new object's field left empty takes the model's default; say so.
        self.note_defaults = note_defaults
        self.notes: list[str] = []  # values read differently from how they were written, defaults used
        self.tags = TagSpellings()
        self.source = source
        self.locate = locate or json_locator
        self.workspace_slug = workspace_slug
        self.progress = progress
        self.problems: list[Problem] = []
        self.items: dict[str, list[dict]] = {}
        # slug -> id for every type (existing objects, then new ones as they are written)
        self.ids: dict[str, dict[str, int]] = {}
        self.pending: dict[tuple[str, int], _Pending] = {}
        self.changes: list[tuple[str, str, str, list[str]]] = []  # what the report lists, object by object
        # ids of the objects this import creates, per type: they have no links to look up yet
        self.created: dict[str, set[int]] = defaultdict(set)
        self.workspace: Workspace | None = None  # set once written

    # -- problems -------------------------------------------------------------------------------

    def problem(self, path: tuple, message: str, field_name: str | None = None) -> None:
        sort_key, location = self.locate(path)
        if field_name is None:
            field_name = ".".join(str(p) for p in path[2:] if not isinstance(p, int)) if len(path) > 2 else ""
        item = self._item_label(path)
        self.problems.append(
            Problem(self.source, sort_key, location, field_name, f"{item}{message}" if item else message)
        )

    def _item_label(self, path: tuple) -> str:
        if len(path) >= 2 and isinstance(path[1], int):
            items = self.document.get(path[0]) if isinstance(self.document, dict) else None
            if isinstance(items, list) and path[1] < len(items) and isinstance(items[path[1]], dict):
                slug = items[path[1]].get("slug")
                if isinstance(slug, str):
                    return f"{registry[path[0]].label} '{excerpt(slug)}': "
        return ""

    # -- stage 1: validate ----------------------------------------------------------------------

    def _refuse_nul_characters(self, value: Any, path: tuple) -> None:
        """A NUL character is no text anyone typed (PostgreSQL cannot even store it): refuse it where it is."""
        if isinstance(value, str):
            if "\x00" in value:
                self.problem(path, _("contains a NUL character (\\0), which is not text"))
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and "\x00" in key:
                    self.problem((*path, key), _("contains a NUL character (\\0), which is not text"))
                self._refuse_nul_characters(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self._refuse_nul_characters(item, (*path, index))

    def validate(self) -> None:
        doc = self.document
        if not isinstance(doc, dict):
            self.problem((), _("the file must hold a mapping with 'workspace' and one list per object type"))
            raise ImportFailed(self.problems)
        self._normalize_values(doc)
        self._refuse_nul_characters(doc, ())
        for key in doc:
            if key not in ("format", "workspace") and key not in registry:
                known = ", ".join(["workspace", *registry.keys()])
                self.problem(
                    (key,),
                    _("unknown top-level key '%(key)s' (known: %(known)s)") % {"key": key, "known": known},
                    field_name=str(key),
                )
        if "format" in doc and doc["format"] != map_schema.FORMAT:
            self.problem(
                ("format",),
                _("unsupported format '%(format)s' (expected %(expected)s)")
                % {"format": doc["format"], "expected": map_schema.FORMAT},
                field_name="format",
            )
        ws = doc.get("workspace")
        if ws is None and not self.workspace_slug:
            self.problem((), _("no 'workspace' block and no workspace given"))
        elif ws is not None:
            self._check_schema("workspace", ws, ("workspace",))
        for otype in registry:
            items = doc.get(otype.key)
            if items is None:
                continue
            if not isinstance(items, list):
                self.problem((otype.key,), _("must be a list"), field_name=otype.key)
                continue
            # Items failing the schema stay in, so their references are checked too (all errors
            # of a file in one run); nothing is written anyway once a problem is found.
            self.items[otype.key] = [
                (index, item)
                for index, item in enumerate(items)
                if self._check_schema(otype.key, item, (otype.key, index)) or isinstance(item, dict)
            ]
        self._derive_flow_identity()
        self._derive_declared_identity()
        self._check_duplicates()
        self._load_existing_slugs()
        self._check_required_on_create()
        self._check_declared()
        self._check_references()
        custom_values.check(self)
        for check in DOCUMENT_CHECKS:
            check(self)
        if self.problems:
            raise ImportFailed(self.problems)
        if self.note_defaults:
            self._note_defaults()

    def _normalize_values(self, doc: dict) -> None:
        """Country names and licences written as people write them, read as in spreadsheets."""
        reading = normalize_document(doc)
        for path, message in reading.problems:
            self.problem(path, message)
        self.notes.extend(reading.notes)

    def _note_defaults(self) -> None:
        """Notes of the defaults a new object takes for the fields its item leaves out (an empty cell)."""
        for key, items in self.items.items():
            otype = registry[key]
            existing = self.ids[otype.singular]
            defaulted = [(mf, mf.field.get_default()) for mf in otype.fields
                         if mf.kind == "value" and mf.field is not None and mf.field.has_default()
                         and mf.field.get_default() not in ("", None, [], {})]
            if not defaulted:
                continue
            rows: dict[str, list[int]] = defaultdict(list)
            for index, item in items:
                if item.get("slug") in existing:
                    continue  # an update keeps the stored value
                for mf, _default in defaulted:
                    if mf.key not in item:
                        # a sheet's locator sorts by (row, column), a workbook's by (sheet, row, column)
                        rows[mf.key].append(self.locate((key, index))[0][-2])
            for mf, default in defaulted:
                if rows.get(mf.key):
                    self.notes.append(_("%(rows)s: '%(field)s' empty, the default %(value)s is used (new %(type)s)")
                                      % {"rows": rows_text(rows[mf.key]), "field": mf.key,
                                         "value": _shown(default), "type": otype.label_plural})

    def _check_schema(self, key: str, item: Any, path: tuple) -> bool:
        fast, full = _validator(key)
        try:
            fast(item)
            ok = True
        except fastjsonschema.JsonSchemaException:
            ok = False
            for error in sorted(full.iter_errors(item), key=lambda e: list(map(str, e.absolute_path))):
                where = (*path, *error.absolute_path)
                if error.validator == "additionalProperties":
                    known = ", ".join(error.schema.get("properties", {}))
                    for extra in sorted(set(error.instance) - set(error.schema.get("properties", {}))):
                        self.problem(
                            (*where, extra),
                            _("unknown key '%(key)s' (known: %(known)s)") % {"key": extra, "known": known},
                        )
                    continue
                self.problem(where, _explain(error))
        if ok and key != "workspace":
            for mf, checks in _django_validators(key):
                value = item.get(mf.key)
                for check in checks if value else ():
                    try:
                        check(value)
                    except ValidationError as exc:
                        self.problem((*path, mf.key), " ".join(exc.messages))
                        ok = False
        return ok

    def _derive_flow_identity(self) -> None:
        """Flows may omit slug and name: derive them from their endpoints, numbered in file order."""
        for otype in registry:
            endpoints = getattr(otype.model.Map, "endpoints", None)
            if not endpoints or otype.key not in self.items:
                continue
            if all("slug" in item and "name" in item for _index, item in self.items[otype.key]):
                continue  # nothing to derive (the numbering only matters for items without a slug)
            seen: Counter = Counter()
            source_key, target_key = list(endpoints)
            for _index, item in self.items[otype.key]:
                if not isinstance(item.get(source_key), str) or not isinstance(item.get(target_key), str):
                    continue  # already reported by the schema
                base = slugify(f"{item[source_key]}-to-{item[target_key]}".replace(":", "-"), 90)
                seen[base] += 1
                if "slug" not in item:
                    item["slug"] = base if seen[base] == 1 else f"{base}-{seen[base]}"
                if "name" not in item:
                    item["name"] = f"{item[source_key]} → {item[target_key]}"[:200]

    def _derive_declared_identity(self) -> None:
        """Types declaring ``Map.identity`` (a skill assessment: person and competence) may omit slug and
        name: they are derived from those keys."""
        for otype in registry:
            identity = getattr(otype.model.Map, "identity", None)
            if not identity or otype.key not in self.items:
                continue
            for index, item in self.items[otype.key]:
                if not isinstance(item, dict):
                    continue
                parts = [str(item[k]) for k in identity if isinstance(item.get(k), str | int) and item[k] != ""]
                if "slug" not in item:
                    if not parts:
                        self.problem((otype.key, index, "slug"),
                                     _("give a slug, or %(keys)s to derive it from") % {"keys": ", ".join(identity)})
                        continue
                    item["slug"] = slugify("-".join(parts).replace(".", "-"), 100)
                if "name" not in item:
                    item["name"] = (" ".join(parts) or str(item["slug"]))[:200]

    def _check_declared(self) -> None:
        """A type's own checks of its new objects (``Map.check(item)`` returns (key, message) pairs), and
        for types with a ``Map.identity``, one object per identity (one level per person and competence)."""
        for otype in registry:
            check = getattr(otype.model.Map, "check", None)
            identity = getattr(otype.model.Map, "identity", None)
            if (check is None and identity is None) or otype.key not in self.items:
                continue
            existing = self.ids[otype.singular]
            taken = self._identities(otype, identity) if identity else {}
            stored = {slug: values for values, slug in taken.items()}
            for index, item in self.items[otype.key]:
                slug = item.get("slug") if isinstance(item, dict) else None
                if not isinstance(slug, str):
                    continue  # the schema said why
                for key, message in check(item) if check and slug not in existing else ():
                    self.problem((otype.key, index, key), message)
                if identity:
                    # An update keeps the stored value of the identity keys it leaves out.
                    before = stored.get(slug, ("",) * len(identity))
                    values = tuple(str(item.get(k) or "") if k in item else before[i] for i, k in enumerate(identity))
                    if taken.get(values, slug) != slug:
                        self.problem((otype.key, index, identity[0]), _(
                            "%(type)s '%(other)s' already has the same %(keys)s: change that one") % {
                            "type": otype.label, "other": excerpt(taken[values]), "keys": ", ".join(identity)})
                    else:
                        taken[values] = slug

    def _identities(self, otype: ObjectType, identity: tuple[str, ...]) -> dict[tuple[str, ...], str]:
        """The identity values (references as slugs) of the type's stored objects -> their slug."""
        ws = self._existing_workspace()
        if ws is None:
            return {}
        lookups = []
        for key in identity:
            mf = otype.field(key)
            lookups.append(f"{mf.field.name}__slug" if mf.kind == "ref" else mf.attname)
        rows = otype.model.objects.filter(workspace=ws).values_list("slug", *lookups)
        return {tuple(str(v or "") for v in values): slug for slug, *values in rows}

    def _check_duplicates(self) -> None:
        for key, items in self.items.items():
            first: dict[str, int] = {}
            for index, item in items:
                slug = item.get("slug")
                if not isinstance(slug, str):
                    continue
                if slug in first:
                    # Where the person sees the first one: "row 5" of a sheet, "line 12" of a YAML file.
                    _sort, place = self.locate((key, first[slug]))
                    if place:
                        message = _("duplicate slug '%(slug)s' (already used at %(place)s)") % {
                            "slug": excerpt(slug), "place": place}
                    else:
                        message = _("duplicate slug '%(slug)s' (already used by item %(item)s of %(type)s)") % {
                            "slug": excerpt(slug), "item": first[slug] + 1, "type": key}
                    self.problem((key, index, "slug"), message)
                else:
                    first[slug] = index

    def _load_existing_slugs(self) -> None:
        ws = self._existing_workspace()
        for otype in registry:
            existing = (
                dict(otype.model.objects.filter(workspace=ws).values_list("slug", "id")) if ws is not None else {}
            )
            self.ids[otype.singular] = existing
        # For validation, a slug is known when it exists or is defined in this file.
        self.known = {
            t.singular: set(self.ids[t.singular])
            | {i["slug"] for _, i in self.items.get(t.key, []) if isinstance(i.get("slug"), str)}
            for t in registry
        }

    def _check_required_on_create(self) -> None:
        """Keys a new object needs (an update may leave them out: upsert keeps stored values)."""
        for key, items in self.items.items():
            otype = registry[key]
            required = [mf.key for mf in otype.fields if mf.required_on_create]
            existing = self.ids[otype.singular]
            for index, item in items:
                if isinstance(item.get("slug"), str) and item["slug"] in existing:  # a non-string: the schema said so
                    continue
                for name in required:
                    if name not in item:
                        self.problem(
                            (key, index, name),
                            _("'%(key)s' is required for a new %(type)s") % {"key": name, "type": otype.label},
                            field_name=name,
                        )

    def existing_workspace(self) -> Workspace | None:
        """The workspace the document goes into, when it exists already."""
        return self._existing_workspace()

    def _existing_workspace(self) -> Workspace | None:
        slug = self.workspace_slug or (self.document.get("workspace") or {}).get("slug")
        return Workspace.objects.filter(slug=slug).first() if slug else None

    def _check_references(self) -> None:
        for key, items in self.items.items():
            otype = registry[key]
            for index, item in items:
                for mf in otype.fields:
                    if mf.key not in item:
                        continue
                    value = item[mf.key]
                    path = (key, index, mf.key)
                    if mf.kind == "ref" and isinstance(value, str):
                        self._check_ref(mf.target, value, path)
                    elif mf.kind == "refs" and isinstance(value, list):
                        for slug in value:
                            if isinstance(slug, str):
                                self._check_ref(mf.target, slug, path)
                    elif mf.kind == "group" and isinstance(value, dict):
                        for member in mf.members:
                            if member.kind == "ref" and isinstance(value.get(member.key), str):
                                self._check_ref(member.target, value[member.key], (*path, member.key))
                    elif mf.kind == "endpoint" and isinstance(value, str):
                        self._resolve_endpoint(value, path)
                    elif mf.kind == "links" and isinstance(value, list):
                        for ref in value:
                            if isinstance(ref, str) and ":" in ref:
                                self._resolve_link(ref, path)

    def _check_ref(self, target: str, slug: str, path: tuple) -> None:
        if slug not in self.known[target]:
            self.problem(path, _unknown(target, slug))

    def _resolve_endpoint(self, value: str, path: tuple) -> tuple[str, str] | None:
        if ":" in value:
            kind, slug = value.split(":", 1)
            if slug not in self.known[kind]:
                self.problem(path, _unknown(kind, slug))
                return None
            return kind, slug
        matches = [kind for kind in ENDPOINT_TYPES if value in self.known[kind]]
        if not matches:
            self.problem(path, _("'%(slug)s' is no application, unit, party or asset") % {"slug": value})
            return None
        if len(matches) > 1:
            options = _(" or ").join(f"'{kind}:{value}'" for kind in matches)
            self.problem(path, _("'%(slug)s' is ambiguous: write %(options)s") % {"slug": value, "options": options})
            return None
        return matches[0], value

    def _resolve_link(self, ref: str, path: tuple) -> tuple[str, str] | None:
        kind, slug = ref.split(":", 1)
        if kind not in self.known:
            self.problem(path, _("unknown object type '%(type)s' in '%(ref)s'") % {"type": kind, "ref": ref})
            return None
        if slug not in self.known[kind]:
            self.problem(path, _unknown(kind, slug))
            return None
        return kind, slug

    # -- stage 2: write -------------------------------------------------------------------------

    def write(self) -> ImportReport:
        ws = self.workspace = self._write_workspace()
        report = ImportReport(workspace=ws.slug)
        for otype in registry:
            if otype.key in self.items:
                self._write_type(ws, otype, report)
        for otype in registry:
            if otype.key in self.items:
                self._write_links(otype)
        self._log(ws)
        report.changes = self.changes
        report.notes = [*self.notes, *self.tags.proposals()]
        return report

    def _write_workspace(self) -> Workspace:
        block = dict(self.document.get("workspace") or {})
        slug = self.workspace_slug or block.get("slug")
        block["slug"] = slug
        ws = Workspace.objects.filter(slug=slug).first()
        if ws is None:
            block.setdefault("name", slug)
            return Workspace.objects.create(**block)
        changed = {k: v for k, v in block.items() if getattr(ws, k) != v and not (self.workspace_slug and k == "name")}
        if changed:
            for k, v in changed.items():
                setattr(ws, k, v)
            ws.save(update_fields=[*changed, "updated"])
        return ws

    def _write_type(self, ws: Workspace, otype: ObjectType, report: ImportReport) -> None:
        model = otype.model
        columns = changelog.snapshot_fields(model)
        attnames = [f.attname for f in columns]
        existing = {row["slug"]: row for row in model.objects.filter(workspace=ws).values("id", *attnames)}
        if "tags" in attnames:  # tags spelled two ways, in this file or with the register: proposed for merging
            self.tags.add_type(otype, existing, self.items[otype.key])
        self_refs = {mf.key for mf in otype.self_refs}
        to_create: list[dict[str, Any]] = []
        to_update: list[tuple[int, str, dict, dict, dict]] = []  # id, slug, before, changed, values
        update_fields: set[str] = set()
        now = timezone.now()
        for _index, item in self.items[otype.key]:
            row = self._row(otype, item, skip=self_refs)
            current = existing.get(item["slug"])
            if "custom" in row:  # per field: the item's values over the stored ones, null clearing one
                row["custom"] = custom.merged(current["custom"] if current else None, row["custom"])
            if current is None:
                row["slug"] = item["slug"]
                to_create.append(row)
                continue
            before = {k: changelog.jsonable(current[k]) for k in attnames}
            changed = {k: v for k, v in row.items() if changelog.jsonable(v) != before[k]}
            if changed:
                values = {k: current[k] for k in attnames}
                values.update(changed)
                to_update.append((current["id"], item["slug"], before, changed, values))
                update_fields.update(changed)
            else:
                report.unchanged[otype.key] += 1
        if to_create:
            self._create(ws, otype, to_create, now)
        if to_update:
            # One statement for the type (a row per object): every changed column is set, from the
            # new value or the stored one, as bulk_update would.
            names = sorted(update_fields)
            bulk.update_rows(model, names, [(*(values[k] for k in names), obj_id)
                                            for obj_id, _slug, _before, _changed, values in to_update],
                             constants={"updated": now})
        for obj_id, slug, before, changed, _values in to_update:
            after = {**before, **{k: changelog.jsonable(v) for k, v in changed.items()}}
            self.pending[(otype.key, obj_id)] = _Pending(otype, obj_id, slug, before, after)
        report.created[otype.key] += len(to_create)
        report.updated[otype.key] += len(to_update)
        if self_refs:
            self._write_self_refs(ws, otype, existing, report)
        if self.progress:
            self.progress(otype.key, len(self.items[otype.key]))

    def _create(self, ws: Workspace, otype: ObjectType, rows: list[dict[str, Any]], now: dt.datetime) -> None:
        """Insert new objects as plain rows; their change-log "after" is what ``changelog.snapshot`` gives."""
        model = otype.model
        columns = changelog.snapshot_fields(model)
        attnames = [f.attname for f in columns]
        defaults = {f.attname: f.get_default() for f in columns}  # what a model instance would hold
        # Only dates, decimals and the like differ from their JSON form; the rest is kept as is.
        to_json = [f.attname for f in columns if bulk.converter(f) is not None and not isinstance(f, models.JSONField)]
        values = [tuple(row[a] if a in row else defaults[a] for a in attnames) for row in rows]
        bulk.insert_rows(model, attnames, values, constants={"workspace_id": ws.id, "created": now, "updated": now})
        ids = self.ids[otype.singular]
        ids.update(model.objects.filter(workspace=ws).values_list("slug", "id"))  # one query for the new ids
        for row in values:
            after = dict(zip(attnames, row, strict=True))
            for a in to_json:
                after[a] = changelog.jsonable(after[a])
            obj_id = ids[after["slug"]]
            self.pending[(otype.key, obj_id)] = _Pending(otype, obj_id, after["slug"], None, after)
            self.created[otype.key].add(obj_id)

    def _write_self_refs(self, ws: Workspace, otype: ObjectType, existing: dict, report: ImportReport) -> None:
        ids = self.ids[otype.singular]
        changed: dict[str, list[tuple[int | None, int]]] = defaultdict(list)
        for _index, item in self.items[otype.key]:
            obj_id = ids[item["slug"]]
            changes = {}
            for mf in otype.self_refs:
                if mf.key not in item:
                    continue
                wanted = ids[item[mf.key]] if item[mf.key] is not None else None
                current = existing.get(item["slug"], {}).get(mf.attname)
                if wanted != current:
                    changes[mf.attname] = wanted
            if not changes:
                continue
            for attname, value in changes.items():
                changed[attname].append((value, obj_id))
            pending = self.pending.get((otype.key, obj_id))
            if pending is None:  # was unchanged until now
                before = {k: changelog.jsonable(v) for k, v in existing[item["slug"]].items() if k != "id"}
                pending = self.pending[(otype.key, obj_id)] = _Pending(
                    otype, obj_id, item["slug"], before, dict(before)
                )
                report.unchanged[otype.key] -= 1
                report.updated[otype.key] += 1
            pending.after.update(changes)
        now = timezone.now()
        for attname, pairs in sorted(changed.items()):
            bulk.update_rows(otype.model, [attname], pairs, constants={"updated": now})

    def _row(self, otype: ObjectType, item: dict, skip: set[str]) -> dict[str, Any]:
        """The item's values as model attributes (references as ids), for the keys it has."""
        row: dict[str, Any] = {}
        for mf in otype.fields:
            if mf.key not in item or mf.key in skip or mf.kind in ("refs", "links"):
                continue
            value = item[mf.key]
            if mf.kind == "group":
                for member in mf.members:
                    if member.key in value:
                        row[member.attname] = self._value(member, value[member.key])
            elif mf.kind == "endpoint":
                kind, slug = self._resolve_endpoint(value, ())
                for endpoint_kind in ENDPOINT_TYPES:
                    row[f"{mf.model_field_prefix}_{endpoint_kind}_id"] = (
                        self.ids[kind][slug] if endpoint_kind == kind else None
                    )
            else:
                row[mf.attname] = self._value(mf, value)
        return row

    def _value(self, mf: MapField, value: Any) -> Any:
        if mf.kind == "ref":
            return None if value is None else self.ids[mf.target][value]
        f = mf.field
        if value is None:
            return None if f.null else ("" if isinstance(f, models.CharField | models.TextField) else f.get_default())
        if isinstance(f, models.DateField):
            return dt.date.fromisoformat(value)
        if isinstance(f, models.DecimalField):
            return decimal.Decimal(str(value)).quantize(decimal.Decimal(1).scaleb(-f.decimal_places))
        return value

    def _write_links(self, otype: ObjectType) -> None:
        """Many-to-many references and document links: add what is missing, remove what is not listed."""
        items = self.items[otype.key]
        ids = self.ids[otype.singular]
        for mf in otype.fields:
            if mf.kind not in ("refs", "links"):
                continue
            listed = [(ids[item["slug"]], item["slug"], item[mf.key]) for _, item in items if mf.key in item]
            if not listed:
                continue
            if mf.kind == "refs":
                self._write_m2m(otype, mf, listed)
            else:
                self._write_document_links(otype, mf, listed)

    def _write_m2m(self, otype: ObjectType, mf: MapField, listed: list[tuple[int, str, list[str]]]) -> None:
        rel = otype.model._meta.get_field(mf.attname)
        through = rel.remote_field.through
        src, dst = f"{rel.m2m_field_name()}_id", f"{rel.m2m_reverse_field_name()}_id"
        new = self.created[otype.key]
        owner_ids = [obj_id for obj_id, _, _ in listed if obj_id not in new]
        current: dict[int, set[int]] = defaultdict(set)
        if owner_ids:
            for a, b in self._links_of(through, rel.m2m_field_name(), src, owner_ids).values_list(src, dst):
                current[a].add(b)
        target_ids = self.ids[mf.target]
        new_rows, removals = [], []
        for obj_id, slug, slugs in listed:
            wanted = {target_ids[s] for s in slugs}
            have = current.get(obj_id, set())
            if wanted == have:
                continue
            new_rows.extend((obj_id, t) for t in sorted(wanted - have))
            if have - wanted:
                removals.append((obj_id, have - wanted))
            self._record_links(otype, obj_id, slug, mf.attname, sorted(have), sorted(wanted))
        bulk.insert_rows(through, [src, dst], new_rows)
        bulk.delete_rows(through, [src, dst], [(obj_id, t) for obj_id, gone in removals for t in sorted(gone)])

    def _write_document_links(self, otype: ObjectType, mf: MapField,
                              listed: list[tuple[int, str, list[str]]]) -> None:
        new = self.created[otype.key]
        owner_ids = [obj_id for obj_id, _, _ in listed if obj_id not in new]
        current: dict[int, set[tuple[str, int]]] = defaultdict(set)
        if owner_ids:
            links = self._links_of(DocumentLink, "document", "document_id", owner_ids)
            for doc, kind, target in links.values_list("document_id", "target_type", "target_id"):
                current[doc].add((kind, target))
        new_rows, removals = [], []
        for obj_id, doc_slug, refs in listed:
            wanted = set()
            for ref in refs:
                kind, slug = ref.split(":", 1)
                wanted.add((kind, self.ids[kind][slug]))
            have = current.get(obj_id, set())
            if wanted == have:
                continue
            new_rows.extend((obj_id, k, t) for k, t in sorted(wanted - have))
            removals.extend((obj_id, k, t) for k, t in have - wanted)
            self._record_links(otype, obj_id, doc_slug, mf.key, sorted(f"{k}:{t}" for k, t in have),
                               sorted(f"{k}:{t}" for k, t in wanted))
        bulk.insert_rows(DocumentLink, ["document_id", "target_type", "target_id"], new_rows)
        bulk.delete_rows(DocumentLink, ["document_id", "target_type", "target_id"], removals)

    def _links_of(self, model: type[models.Model], owner: str, owner_column: str, owner_ids: list[int]):
        """The link rows of these owners in one query: by id when few, else every link of the workspace
        (a long ``IN`` list would exceed SQLite's parameter limit; reading a few extra rows is cheaper
        than one query per 900 owners)."""
        if len(owner_ids) <= 900:
            return model.objects.filter(**{f"{owner_column}__in": owner_ids})
        return model.objects.filter(**{f"{owner}__workspace_id": self.workspace.id})

    def _record_links(self, otype: ObjectType, obj_id: int, slug: str, name: str, before: list, after: list) -> None:
        """Add a link change to the object's change-log entry, opening an update entry if it has none."""
        pending = self.pending.get((otype.key, obj_id))
        if pending is None:
            pending = self.pending[(otype.key, obj_id)] = _Pending(otype, obj_id, slug, {}, {})
        if pending.before is not None:
            pending.before[name] = before
        pending.after[name] = after

    def _log(self, ws: Workspace) -> None:
        entries = []
        for pending in self.pending.values():
            before, after = changelog.diff(pending.before, pending.after)
            action = "create" if pending.before is None else "update"
            if action == "update" and not after:
                continue
            entries.append((action, pending.otype.singular, pending.obj_id, pending.slug, before, after))
            self.changes.append((pending.otype.key, pending.slug, action, [] if action == "create" else sorted(after)))
        changelog.record_many(ws.id, entries)


def _unknown(target: str, slug: str) -> str:
    return _("unknown %(type)s '%(slug)s'") % {"type": registry.by_singular(target).label, "slug": slug}


def _shown(value: Any) -> str:
    """A value in a message: quoted text, or a short form of anything else (never the whole of a huge value)."""
    if isinstance(value, str):
        return f"'{excerpt(value)}'"
    return excerpt(value)


def _explain(error: jsonschema.ValidationError) -> str:
    """A schema error in words a person can act on, quoting at most an excerpt of the value."""
    value = _shown(error.instance)
    if error.validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value if v not in (None, ""))
        return _("%(value)s is not an allowed value (allowed: %(allowed)s)") % {"value": value, "allowed": allowed}
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        known = ", ".join(error.schema.get("properties", {}))
        return _("unknown key(s) %(keys)s (known: %(known)s)") % {"keys": ", ".join(map(_shown, extra)), "known": known}
    if error.validator == "required":
        return _("%(key)s is required") % {"key": error.message.split(" ")[0]}
    if error.validator == "type" and error.instance is None:
        return _("cannot be emptied: this field always has a value")
    if error.validator == "type":
        expected = (
            error.validator_value if isinstance(error.validator_value, str) else " or ".join(error.validator_value)
        )
        return _("%(value)s is not of type %(type)s") % {"value": value, "type": expected}
    if error.validator == "maxLength":
        return _("%(value)s is too long: at most %(limit)s characters, got %(count)s") % {
            "value": value, "limit": error.validator_value, "count": len(error.instance)}
    if error.validator == "minLength":
        if error.validator_value == 1:
            return _("must not be empty")
        return _("%(value)s is too short: at least %(limit)s characters, got %(count)s") % {
            "value": value, "limit": error.validator_value, "count": len(error.instance)}
    if error.validator == "maximum":
        return _("%(value)s is too large: at most %(limit)s") % {"value": value, "limit": error.validator_value}
    if error.validator in ("minimum", "exclusiveMinimum"):
        return _("%(value)s is too small: at least %(limit)s") % {"value": value, "limit": error.validator_value}
    if error.validator == "maxItems":
        return _("too many values: at most %(limit)s, got %(count)s") % {
            "limit": error.validator_value, "count": len(error.instance)}
    if error.validator == "pattern":
        if "\\d{4}" in error.validator_value:
            return _("%(value)s is not a date (YYYY-MM-DD)") % {"value": value}
        return _("%(value)s is not a valid slug or reference (lower-case letters, digits, '-', '_', '.')") % {
            "value": value
        }
    return excerpt(error.message, 300)


ANALYZE_AFTER = 5000  # objects created by one import


def changelog_model():
    from mue.core.models import ChangeLogEntry

    return ChangeLogEntry


def import_document(
    document: Any,
    *,
    source: str = "<document>",
    locate: Locator | None = None,
    workspace: str | None = None,
    progress: ProgressHook | None = None,
    actor: str = "system",
    channel: str = "import",
    dry_run: bool = False,
    note_defaults: bool = False,
) -> ImportReport:
    """Validate and import a map document; raise :class:`ImportFailed` and write nothing if it is wrong.

    ``dry_run``: a preview. The import is done in full and its transaction rolled back, so what the
    report says (created, updated, unchanged, each change) is what importing would do, by the same
    code, and nothing stays written. ``note_defaults``: add a note for each field a new object leaves
    empty and takes the default of (what a spreadsheet import says of empty cells).
    """
    run = MapImport(document, source, locate, workspace, progress, note_defaults=note_defaults)
    run.validate()
    with (
        transaction.atomic(),
        changelog.change_context(actor_name=actor, source=channel, message=f"import {source}"[:300]),
    ):
        report = run.write()
        if dry_run:
            transaction.set_rollback(True)
            report.dry_run = True
    if not dry_run and sum(report.created.values()) >= ANALYZE_AFTER:
        # Fresh statistics after a large load: without them SQLite's planner reads a list page's rows
        # through the workspace index and sorts them all instead of walking the (workspace, name) one.
        bulk.analyze([registry[key].model for key in report.created] + [changelog_model()])
    return report


__all__ = ["ImportFailed", "ImportReport", "Problem", "import_document", "path_label"]
