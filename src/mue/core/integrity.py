"""No reference crosses workspaces: every link of a workspace's objects points inside that workspace.

A workspace is one organization's register; a link from one commune's application to another
client's vendor leaks one client's data into the other's pages, and breaks export, the graph and
impact analysis (they index objects per workspace). The rule is enforced here, in the model layer,
whatever the entry point (admin, web forms, shell, engines):

* **on save** (``pre_save``): each foreign key to a workspace-scoped model (a register object or a
  side table) must point into the saving object's workspace. Only the keys whose value changed since
  the object was read are checked (``RegisterObject._db_state`` holds what was read); a related
  object already loaded answers without a query; the others cost one query per target model.
* **on link changes** (``m2m_changed``, ``pre_add``), from either side of a many-to-many: one query
  for the whole ``pk_set``.
* **generic targets** (a document link's or a comment's ``target_type``/``target_id``): the target
  named through the registry is in the owner's workspace.

A refused change raises :class:`CrossWorkspaceReference` (a ``ValidationError``) before anything is
written. Forms call :func:`check_values` first, so the person gets a form error, not a 500.

The bulk paths send no signals and need no check: the importer (:mod:`mue.interchange.importer`)
resolves every slug through ``self.ids``, which holds only the objects of the workspace being imported
(and those the same file creates there), then writes ids through :mod:`mue.core.bulk`; the synthetic
generator goes through the importer. ``QuerySet.update()`` and raw SQL bypass signals: ``mue check``
(:func:`find_cross_links`) finds what they may have left, one SQL join per relation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef
from django.db.models.signals import m2m_changed, pre_save
from django.utils.translation import gettext as _

from mue.core.models import Workspace


class CrossWorkspaceReference(ValidationError):
    """A reference from an object of one workspace to an object of another."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message, code="cross_workspace")
        self.field = field


# -- what is scoped, and how ------------------------------------------------------------------------


@cache
def workspace_path(model: type[models.Model]) -> str | None:
    """The lookup from a row of ``model`` to its workspace ("workspace", "run__workspace",
    "document__workspace"), or None when the model belongs to no workspace.

    A model belongs to a workspace when it has a foreign key to :class:`Workspace`, declares
    ``workspace_path``, or has a foreign key to a model that belongs to one (an audit finding through
    its run, a document link through its document, a many-to-many row through its owner).
    """
    if model is Workspace:
        return None
    declared = getattr(model, "workspace_path", None)
    if isinstance(declared, str):
        return declared
    fks = [f for f in model._meta.concrete_fields if f.many_to_one]
    for f in fks:
        if f.related_model is Workspace:
            return f.name
    for f in fks:
        if f.related_model is not model and _direct_workspace_fk(f.related_model):
            return f"{f.name}__{_direct_workspace_fk(f.related_model)}"
    return None


def _direct_workspace_fk(model: type[models.Model]) -> str | None:
    declared = getattr(model, "workspace_path", None)
    if isinstance(declared, str):
        return declared
    return next((f.name for f in model._meta.concrete_fields if f.many_to_one and f.related_model is Workspace),
                None)


def scoped_models(include_auto_created: bool = True) -> list[type[models.Model]]:
    """Every installed model that belongs to a workspace (many-to-many tables included)."""
    return [m for m in apps.get_models(include_auto_created=include_auto_created) if workspace_path(m)]


@cache
def checked_foreign_keys(model: type[models.Model]) -> tuple[models.ForeignKey, ...]:
    """The foreign keys of ``model`` that must stay in its workspace: those to a scoped model, except
    the first hop of the model's own workspace path (it defines the workspace)."""
    path = workspace_path(model)
    if path is None:
        return ()
    own = path.split("__")[0]
    return tuple(f for f in model._meta.concrete_fields
                 if f.many_to_one and f.name != own and workspace_path(f.related_model) == "workspace")


def has_generic_target(model: type[models.Model]) -> bool:
    """A row naming any register object by registry type and id (document link, comment)."""
    names = {f.name for f in model._meta.concrete_fields}
    return {"target_type", "target_id"} <= names and workspace_path(model) is not None


# -- checks ------------------------------------------------------------------------------------------


def _label(model: type[models.Model]) -> str:
    return str(model._meta.verbose_name)


def _describe(model: type[models.Model], pk: Any) -> tuple[str, str]:
    """(object, workspace) of a row, for a message; one query, only when refusing."""
    row = model._base_manager.filter(pk=pk).values_list("slug" if _has(model, "slug") else "pk",
                                                         "workspace__slug").first()
    return (str(row[0]), str(row[1])) if row else (str(pk), "?")


def _has(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def _owner_text(instance: models.Model, workspace_id: int | None) -> tuple[str, str]:
    slug = getattr(instance, "slug", None) or str(instance.pk or _("(new)"))
    ws = Workspace.objects.filter(pk=workspace_id).values_list("slug", flat=True).first() or "?"
    return slug, ws


def _refuse(instance: models.Model, workspace_id: int | None, field: str, target_model: type[models.Model],
            target_pk: Any) -> CrossWorkspaceReference:
    obj, ws = _owner_text(instance, workspace_id)
    target, other = _describe(target_model, target_pk)
    message = _("“%(field)s” of %(type)s “%(object)s” (workspace “%(workspace)s”) cannot point to "
                "%(target_type)s “%(target)s” of workspace “%(other)s”: references stay inside a workspace.") % {
        "field": field, "type": _label(type(instance)), "object": obj, "workspace": ws,
        "target_type": _label(target_model), "target": target, "other": other}
    return CrossWorkspaceReference(message, field)


def owner_workspace_id(instance: models.Model) -> int | None:
    """The workspace of a row, without a query when it holds ``workspace_id`` or its parent is loaded."""
    path = workspace_path(type(instance))
    if path is None:
        return None
    hops = path.split("__")
    if len(hops) == 1:
        return getattr(instance, f"{hops[0]}_id")
    parent_field = type(instance)._meta.get_field(hops[0])
    if parent_field.is_cached(instance):
        parent = getattr(instance, hops[0])
        return owner_workspace_id(parent) if parent is not None else None
    parent_id = getattr(instance, parent_field.attname)
    if parent_id is None:
        return None
    return parent_field.related_model._base_manager.filter(pk=parent_id).values_list(
        "__".join(hops[1:]), flat=True).first()


def _read_value(instance: models.Model, attname: str) -> tuple[bool, Any]:
    """(known, value) of ``attname`` as read from the database (``from_db``)."""
    state = getattr(instance, "_db_state", None)
    if state is None:
        return False, None
    names, values = state
    try:
        return True, values[list(names).index(attname)]
    except ValueError:
        return False, None


def check_instance(instance: models.Model) -> None:
    """Raise :class:`CrossWorkspaceReference` if a changed foreign key (or generic target) of
    ``instance`` points outside its workspace."""
    model = type(instance)
    fks = checked_foreign_keys(model)
    generic = has_generic_target(model)
    if not fks and not generic:
        return
    ws_id = owner_workspace_id(instance)
    if ws_id is None:
        return
    moved = False
    if not instance._state.adding:
        known, old_ws = _read_value(instance, "workspace_id")
        moved = known and old_ws != ws_id
        if moved:
            _refuse_move_with_links(instance, ws_id)
    pending: dict[type[models.Model], dict[Any, models.ForeignKey]] = defaultdict(dict)
    for f in fks:
        value = getattr(instance, f.attname)
        if value is None:
            continue
        known, old = _read_value(instance, f.attname)
        if known and old == value and not moved:
            continue  # unchanged since read: it was checked when written
        if f.is_cached(instance):
            target = getattr(instance, f.name)
            if target is not None and getattr(target, "workspace_id", ws_id) != ws_id:
                raise _refuse(instance, ws_id, f.name, f.related_model, target.pk)
            continue
        pending[f.related_model][value] = f
    for target_model, wanted in pending.items():
        for pk, target_ws in target_model._base_manager.filter(pk__in=list(wanted)).values_list("pk", "workspace_id"):
            if target_ws != ws_id:
                raise _refuse(instance, ws_id, wanted[pk].name, target_model, pk)
    if generic:
        _check_generic(instance, ws_id)


def _check_generic(instance: models.Model, ws_id: int) -> None:
    from mue.core.registry import registry

    try:
        target_model = registry.lookup(instance.target_type).model
    except KeyError:
        return
    target_ws = target_model._base_manager.filter(pk=instance.target_id).values_list("workspace_id", flat=True).first()
    if target_ws is not None and target_ws != ws_id:
        raise _refuse(instance, ws_id, "target", target_model, instance.target_id)


def _refuse_move_with_links(instance: models.Model, ws_id: int) -> None:
    """An object moved to another workspace would take its links across: refuse while it has any."""
    model = type(instance)
    checks: list[tuple[str, models.QuerySet]] = []
    for rel in model._meta.related_objects:
        path = workspace_path(rel.related_model)
        if path is None:
            continue
        if rel.many_to_many:
            checks.append((rel.get_accessor_name() or rel.name,
                           rel.through._base_manager.filter(**{rel.field.m2m_reverse_field_name(): instance.pk})))
        elif rel.field.name != path.split("__")[0]:
            checks.append((rel.get_accessor_name() or rel.name,
                           rel.related_model._base_manager.filter(**{rel.field.name: instance.pk})))
    for f in model._meta.many_to_many:
        checks.append((f.name, f.remote_field.through._base_manager.filter(**{f.m2m_field_name(): instance.pk})))
    for name, queryset in checks:
        if queryset.exists():
            obj, _ws = _owner_text(instance, ws_id)
            raise CrossWorkspaceReference(
                _("%(type)s “%(object)s” cannot move to another workspace while it has links (%(field)s).")
                % {"type": _label(model), "object": obj, "field": name}, name)


def check_links(instance: models.Model, field: str, target_model: type[models.Model], pks: Iterable[Any]) -> None:
    """Raise if any of ``pks`` (rows of ``target_model``) is outside ``instance``'s workspace: one query."""
    ws_id = owner_workspace_id(instance)
    pks = [pk for pk in pks if pk is not None]
    if ws_id is None or not pks:
        return
    stray = target_model._base_manager.filter(pk__in=pks).exclude(workspace_id=ws_id).values_list("pk", flat=True)[:1]
    for pk in stray:
        raise _refuse(instance, ws_id, field, target_model, pk)


def check_values(model: type[models.Model], workspace_id: int | None, values: dict[str, Any]) -> dict[str, str]:
    """The problems of a form's references before saving: ``{field: message}`` for each value (a model
    instance or a list of them, as in a form's ``cleaned_data``) outside ``workspace_id``.

    No query when the values are loaded objects (a form's choices are); used by the admin and the
    web forms so that the person gets a form error rather than a refused save.
    """
    problems: dict[str, str] = {}
    if workspace_id is None:
        return problems
    for name, value in values.items():
        items = value if isinstance(value, list | tuple | set | models.QuerySet) else [value]
        for item in items:
            if isinstance(item, models.Model) and workspace_path(type(item)) == "workspace" \
                    and item.workspace_id != workspace_id:
                field = model._meta.get_field(name)
                ws = Workspace.objects.filter(pk=item.workspace_id).values_list("slug", flat=True).first()
                problems[name] = _("“%(object)s” belongs to workspace “%(other)s”: choose a %(type)s of this "
                                   "workspace (%(field)s).") % {
                    "object": getattr(item, "slug", item.pk), "other": ws, "type": _label(type(item)),
                    "field": field.verbose_name}
                break
    return problems


# -- signal handlers (connected from CoreConfig.ready) -------------------------------------------------


def on_pre_save(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw or not isinstance(sender, type):
        return
    check_instance(instance)


def on_m2m_changed(sender, instance, action: str, reverse: bool, model, pk_set, **kwargs) -> None:
    if action != "pre_add" or not pk_set or workspace_path(type(instance)) != "workspace":
        return
    if workspace_path(model) != "workspace":
        return
    if reverse:
        # ``asset.applications.add(app)``: the owners being linked are the ``pk_set`` rows of ``model``.
        field = next((f for f in model._meta.many_to_many if f.remote_field.through is sender), None)
        name = field.related_query_name() if field is not None else "?"
    else:
        field = next((f for f in type(instance)._meta.many_to_many if f.remote_field.through is sender), None)
        name = field.name if field is not None else "?"
    check_links(instance, name, model, pk_set)


def connect() -> None:
    pre_save.connect(on_pre_save, dispatch_uid="mue.core.integrity.pre_save")
    m2m_changed.connect(on_m2m_changed, dispatch_uid="mue.core.integrity.m2m_changed")


# -- finding what slipped through (``mue check``) -------------------------------------------------------


@dataclass(frozen=True)
class CrossLink:
    """One stored reference that crosses workspaces."""

    relation: str  # "applications.Application.vendor"
    object_type: str
    object: str
    workspace: str
    target_type: str
    target: str
    target_workspace: str

    def as_dict(self) -> dict[str, str]:
        return dict(self.__dict__)


def _slug_or_pk(model: type[models.Model], prefix: str = "") -> str:
    return f"{prefix}slug" if _has(model, "slug") else f"{prefix}pk"


def relations() -> list[tuple[str, Any]]:
    """Every relation ``mue check`` scans: (name, how), derived from the installed models."""
    out: list[tuple[str, Any]] = []
    for model in scoped_models(include_auto_created=False):
        for f in checked_foreign_keys(model):
            out.append((f"{model._meta.label}.{f.name}", ("fk", model, f)))
        for f in model._meta.many_to_many:
            if workspace_path(model) == "workspace" and workspace_path(f.related_model) == "workspace":
                out.append((f"{model._meta.label}.{f.name}", ("m2m", model, f)))
        if has_generic_target(model):
            out.append((f"{model._meta.label}.target", ("generic", model, None)))
    return out


def find_cross_links(limit_per_relation: int = 1000) -> list[CrossLink]:
    """Every stored reference that crosses workspaces: one SQL query (a join) per relation."""
    found: list[CrossLink] = []
    for name, (kind, model, f) in relations():
        if kind == "fk":
            found += _cross_fk(name, model, f, limit_per_relation)
        elif kind == "m2m":
            found += _cross_m2m(name, model, f, limit_per_relation)
        else:
            found += _cross_generic(name, model, limit_per_relation)
    return found


def _cross_fk(name: str, model, f, limit: int) -> list[CrossLink]:
    path = workspace_path(model)
    target = f.related_model
    rows = (model._base_manager.filter(**{f"{f.name}__isnull": False})
            .exclude(**{f"{f.name}__workspace": F(path)})
            .order_by().values_list(_slug_or_pk(model), f"{path}__slug", _slug_or_pk(target, f"{f.name}__"),
                                    f"{f.name}__workspace__slug")[:limit])
    return [CrossLink(name, _label(model), str(a), b, _label(target), str(c), d) for a, b, c, d in rows]


def _cross_m2m(name: str, model, f, limit: int) -> list[CrossLink]:
    through = f.remote_field.through
    src, dst = f.m2m_field_name(), f.m2m_reverse_field_name()
    target = f.related_model
    rows = (through._base_manager.exclude(**{f"{src}__workspace": F(f"{dst}__workspace")})
            .order_by().values_list(_slug_or_pk(model, f"{src}__"), f"{src}__workspace__slug",
                                    _slug_or_pk(target, f"{dst}__"), f"{dst}__workspace__slug")[:limit])
    return [CrossLink(name, _label(model), str(a), b, _label(target), str(c), d) for a, b, c, d in rows]


def _cross_generic(name: str, model, limit: int) -> list[CrossLink]:
    from mue.core.registry import registry

    path = workspace_path(model)
    hops = path.split("__")
    if len(hops) > 1:
        owner_column = _slug_or_pk(model._meta.get_field(hops[0]).related_model, f"{hops[0]}__")
    else:
        owner_column = _slug_or_pk(model)
    out: list[CrossLink] = []
    for otype in registry:
        stray = otype.model._base_manager.filter(pk=OuterRef("target_id")).exclude(workspace_id=OuterRef(path))
        rows = (model._base_manager.filter(target_type=otype.singular).filter(Exists(stray))
                .order_by().values_list(owner_column, f"{path}__slug", "target_id")[:limit])
        rows = list(rows)
        if not rows:
            continue
        targets = dict((pk, (slug, ws)) for pk, slug, ws in otype.model._base_manager.filter(
            pk__in=[r[2] for r in rows]).values_list("pk", "slug", "workspace__slug"))
        for a, b, target_id in rows:
            slug, ws = targets.get(target_id, (str(target_id), "?"))
            out.append(CrossLink(name, _label(model), str(a), b, otype.label, slug, ws))
    return out
