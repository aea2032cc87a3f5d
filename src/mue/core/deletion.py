"""Deleting a workspace: everything it holds, in a few set-based DELETEs, in one transaction.

Django's collector would read every object of the workspace into memory to send its signals and
cascade row by row (80 s on the L workspace), then the admin refuses because change-log entries may
not be deleted one by one. A workspace's objects and its history go together, so there is nothing to
log and no signal to send per object: this module finds every table that belongs to a workspace
(:func:`mue.core.integrity.scoped_models`: a workspace foreign key, a declared ``workspace_path``,
or a foreign key to such a model — register types, their many-to-many tables, document links, the
change log, audit, discovery, usage, comments, memberships, invitations, and any domain added later),
and deletes each one's rows with one ``DELETE ... WHERE`` statement, children before the tables they
reference. Foreign keys are deferred to the commit on SQLite and PostgreSQL alike, so the cycles a
topological order cannot break (a unit's parent) hold as well.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models.signals import post_delete, pre_delete
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from mue.core.integrity import scoped_models, workspace_path
from mue.core.models import Workspace, deleting_workspaces


@dataclass
class DeletionReport:
    """What a workspace held: rows per model (many-to-many tables summed as "links")."""

    workspace: str
    counts: dict[type[models.Model], int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def by_label(self) -> list[tuple[str, int]]:
        """(label, count) for people: register types first (registry order), then the rest; empty ones left out."""
        from mue.core.registry import registry

        out: list[tuple[str, int]] = []
        links = 0
        for otype in registry:
            if self.counts.get(otype.model):
                out.append((otype.label_plural, self.counts[otype.model]))
        for model, count in self.counts.items():
            if not count or model in registry._by_model or model is Workspace:
                continue
            if model._meta.auto_created:
                links += count
            else:
                out.append((str(model._meta.verbose_name_plural), count))
        if links:
            out.append((_("links between objects"), links))
        return [(capfirst(str(label)), count) for label, count in out]

    def as_dict(self) -> dict[str, int]:
        return {model._meta.label: n for model, n in self.counts.items() if n}


def deletion_order() -> list[type[models.Model]]:
    """Every scoped model, each before the scoped models it references (children first)."""
    scoped = scoped_models()
    refs = {m: {f.related_model for f in m._meta.concrete_fields
                if f.many_to_one and f.related_model in scoped and f.related_model is not m} for m in scoped}
    order: list[type[models.Model]] = []
    remaining = set(scoped)
    while remaining:
        # A model goes when no remaining model references it.
        ready = sorted((m for m in remaining if not any(m in refs[o] for o in remaining if o is not m)),
                       key=lambda m: m._meta.label)
        if not ready:  # a cycle: foreign keys are deferred to the commit, any order holds
            ready = sorted(remaining, key=lambda m: m._meta.label)
        order.extend(ready)
        remaining.difference_update(ready)
    return order


def _rows(model: type[models.Model], workspace: Workspace) -> models.QuerySet:
    return model._base_manager.filter(**{workspace_path(model): workspace.pk}).order_by()


def contents(workspace: Workspace) -> DeletionReport:
    """What deleting the workspace would delete (one COUNT per table), for a confirmation page."""
    report = DeletionReport(workspace.slug)
    for model in deletion_order():
        report.counts[model] = _rows(model, workspace).count()
    return report


def delete_workspace(workspace: Workspace, using: str = DEFAULT_DB_ALIAS) -> DeletionReport:
    """Delete ``workspace`` and everything that belongs to it, in one transaction; what went, per model.

    One DELETE per table (``QuerySet._raw_delete``, what Django's collector uses for its own fast
    deletes), no object read into memory, no per-object signal: nothing is left to log, since the
    workspace's change log goes too. The workspace itself gets its ``pre_delete``/``post_delete``.
    """
    report = DeletionReport(workspace.slug)
    deleting_workspaces.add(workspace.pk)
    try:
        with transaction.atomic(using=using):
            pre_delete.send(Workspace, instance=workspace, using=using, origin=workspace)
            for model in deletion_order():
                report.counts[model] = _rows(model, workspace)._raw_delete(using)
            report.counts[Workspace] = Workspace._base_manager.filter(pk=workspace.pk)._raw_delete(using)
            post_delete.send(Workspace, instance=workspace, using=using, origin=workspace)
    finally:
        deleting_workspaces.discard(workspace.pk)
    return report


def as_django_result(reports: list[DeletionReport]) -> tuple[int, dict[str, int]]:
    """The ``(total, {model label: count})`` that ``Model.delete()`` returns."""
    counts: Counter[str] = Counter()
    for report in reports:
        counts.update(report.as_dict())
    return sum(counts.values()), dict(counts)
