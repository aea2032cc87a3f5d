"""What a rule is: a small declared unit evaluated over the whole workspace at once.

A rule names the objects it judges (``scope``) and, among them, those that fail (``failing``), both
as querysets: the engine runs a constant number of queries per rule (a count of the scope, the
failing rows with their evidence columns) whatever the size of the workspace. A rule never loops
over objects in Python.

A rule may need data that does not exist yet in a workspace (usage observations, skills): it lists
:class:`Requirement` objects and reports "inactive: <why>" instead of passing or failing.

A :class:`Question` is the declared counterpart of a rule: an item of the questionnaire a person
answers where no data can tell ("are backups tested by a restore every year?").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db.models import Model, Q, QuerySet
from django.utils.functional import Promise

from mue.audit.choices import DOMAIN_PREFIX, SEVERITY_ORDER, Domain
from mue.core.models import Workspace
from mue.core.registry import registry


@dataclass
class AuditContext:
    """What every rule of one run sees: the workspace and the date it is judged at."""

    workspace: Workspace
    as_of: dt.date
    #: In a re-audit, the ids of the rule's objects being judged again (None: all of them). Helpers
    #: that build a set over a whole link table (:func:`~mue.audit.rules.common.app_holds`) narrow it to these.
    focus: frozenset[int] | None = None
    _requirements: dict[str, str | None] = field(default_factory=dict)
    #: What a rule computed for its evidence during the run (keyed by rule id), read back by its ``enrich``.
    memo: dict[str, Any] = field(default_factory=dict)

    def objects(self, singular: str) -> QuerySet:
        """All objects of a registry type in the workspace (``ctx.objects("service")``)."""
        return registry.by_singular(singular).model.objects.filter(workspace=self.workspace)

    def model(self, singular: str) -> type[Model]:
        return registry.by_singular(singular).model

    def unmet(self, requirement: Requirement) -> str | None:
        """Why the requirement is not met (None when it is), checked once per run."""
        if requirement.key not in self._requirements:
            self._requirements[requirement.key] = requirement.check(self)
        return self._requirements[requirement.key]


@dataclass(frozen=True)
class Requirement:
    """Data a rule needs before it can say anything; ``check`` returns why it is missing, or None."""

    key: str
    description: Promise | str
    check: Callable[[AuditContext], str | None]


class Rule:
    """Base of every observed rule. Subclasses set the class attributes and the two methods.

    ``evidence`` maps an evidence key (stored in the finding's JSON) to a path understood by
    ``QuerySet.values()`` on the failing queryset: a field (``criticality``), a relation path
    (``owner__slug``) or an annotation the rule added in :meth:`failing`.
    """

    kind: ClassVar[str] = "observed"
    id: ClassVar[str]
    domain: ClassVar[str]
    severity: ClassVar[str]
    object_type: ClassVar[str]  # registry singular name of the objects judged
    title: ClassVar[Promise]
    rationale: ClassVar[Promise]
    remediation: ClassVar[Promise]
    evidence: ClassVar[dict[str, str]] = {}
    requires: ClassVar[tuple[Requirement, ...]] = ()
    #: False when an object's verdict depends on other objects of its own type (duplicates in a
    #: category): re-auditing after a change then re-evaluates the whole rule, not one object.
    local: ClassVar[bool] = True
    #: For re-audits: type -> lookups from this rule's objects to objects of that type through which
    #: the verdict, the scope and the evidence depend on them (``{"application": ("source_application",)}``).
    #: A change of such an object re-judges only the objects it reaches; a type read by the rule's SQL
    #: but not listed here re-evaluates the whole rule. The rule's own type may be listed for a
    #: non-local rule (an application judged through the applications it depends on).
    #:
    #: Each lookup must follow links stored on the near side (a foreign key or many-to-many of this
    #: rule's objects or of an object on the way), never on the changed object: a link the change
    #: removed can no longer be followed in the database. A test checks every declaration.
    related: ClassVar[dict[str, tuple[str, ...]]] = {}
    #: Types the verdict reads outside the rule's SQL (computed in Python from them, e.g. on the
    #: dependency graph): a re-audit then re-evaluates the rule on any change of one of them.
    reads_outside_sql: ClassVar[tuple[str, ...]] = ()

    def scope(self, ctx: AuditContext) -> QuerySet:
        """The objects the rule judges (the denominator of its compliance)."""
        raise NotImplementedError(f"{type(self).__name__} must define scope()")

    def failing(self, ctx: AuditContext, scope: QuerySet) -> QuerySet:
        """The objects of ``scope`` that fail, annotated with what ``evidence`` names."""
        raise NotImplementedError(f"{type(self).__name__} must define failing()")

    def reach(self, ctx: AuditContext, object_type: str, ids: set[int], before: list[Any]) -> list[Q] | None:
        """For a re-audit: conditions on this rule's objects selecting those a change of ``ids`` can affect.

        ``before`` are the rule's findings before the change. None means "cannot tell": the whole rule
        is evaluated again. The default follows :attr:`local` and :attr:`related`; a rule whose objects
        depend on each other in another way (a shared category) overrides it.
        """
        conditions = []
        if object_type == self.object_type:
            if not self.local and object_type not in self.related:
                return None
            conditions.append(Q(pk__in=ids))
        elif object_type not in self.related:
            return None
        conditions.extend(Q(**{f"{path}__in": ids}) for path in self.related.get(object_type, ()))
        return conditions

    def enrich(self, evidence: dict[str, Any], ctx: AuditContext) -> dict[str, Any]:
        """Evidence derived from the queried columns in Python (cheap, per failing row only)."""
        return evidence

    def inactive_reason(self, ctx: AuditContext) -> str | None:
        for requirement in self.requires:
            reason = ctx.unmet(requirement)
            if reason:
                return reason
        return None

    @property
    def needs(self) -> list[str]:
        return [str(r.description) for r in self.requires]


@dataclass(frozen=True)
class Question:
    """A questionnaire item: a rule answered by a person (yes, partly, no, don't know)."""

    id: str
    domain: str
    severity: str
    title: Promise  # the question itself
    rationale: Promise
    remediation: Promise
    kind: str = "declared"
    object_type: str = "workspace"
    requires: tuple[Requirement, ...] = ()

    @property
    def needs(self) -> list[str]:
        return []


AnyRule = Rule | Question


def check_declaration(rule: AnyRule) -> None:
    """Fail early (at discovery) on a malformed rule: wrong id prefix, unknown domain or severity."""
    name = getattr(rule, "id", type(rule).__name__)
    if rule.domain not in Domain.values:
        raise ValueError(f"rule {name}: unknown domain {rule.domain!r}")
    if rule.severity not in SEVERITY_ORDER:
        raise ValueError(f"rule {name}: unknown severity {rule.severity!r}")
    if not name.startswith(DOMAIN_PREFIX[rule.domain] + "-"):
        raise ValueError(f"rule {name}: ids of domain {rule.domain} start with {DOMAIN_PREFIX[rule.domain]}-")
    for attr in ("title", "rationale", "remediation"):
        if not getattr(rule, attr, None):
            raise ValueError(f"rule {name}: {attr} is missing")
    if rule.kind == "observed" and rule.object_type not in {t.singular for t in registry}:
        raise ValueError(f"rule {name}: unknown object type {rule.object_type!r}")
