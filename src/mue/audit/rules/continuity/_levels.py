"""Shared shape of the rules on the feasibility of promised service levels (CON-010 to CON-015).

The verdict is :func:`mue.catalogue.feasibility.check_levels`, computed once per audit run on the
dependency graph and shared by the six rules: the service's page, the contract of a unit and the
audit then agree. A level's verdict depends on the whole graph under its service, read in Python:
the rules name the types it reads (``reads_outside_sql``), whose changes re-evaluate them in full.
"""

from __future__ import annotations

from typing import ClassVar

from mue.audit.rules.base import AuditContext, Rule
from mue.audit.rules.common import LIVE_LIFECYCLES


def _breaches(ctx: AuditContext) -> dict[tuple[str, int], dict]:
    """(check, level id) -> the breach's evidence, computed once per run (kept on the context)."""
    cached = ctx.__dict__.get("_level_breaches")
    if cached is None:
        from mue.catalogue.feasibility import check_levels

        cached = {(b.check, b.level_id): {"service": b.service_slug, "message": b.message, **b.as_evidence()}
                  for b in check_levels(ctx.workspace)}
        ctx.__dict__["_level_breaches"] = cached
    return cached


class LevelFeasibilityRule(Rule):
    """Service level agreements of live services whose promise of one kind cannot be kept."""

    object_type = "service_level"
    check: ClassVar[str]
    evidence = {"service": "service__slug", "agreement_id": "id"}
    reads_outside_sql = ("service", "application", "asset", "party", "contract", "restore_test", "support_team")

    def promised(self, ctx: AuditContext):
        """The agreements that make the promise this rule checks (its scope)."""
        raise NotImplementedError

    def scope(self, ctx):
        return self.promised(ctx).filter(service__lifecycle__in=LIVE_LIFECYCLES)

    def failing(self, ctx, scope):
        ids = [level_id for check, level_id in _breaches(ctx) if check == self.check]
        return scope.filter(pk__in=ids)

    def enrich(self, evidence, ctx):
        evidence = dict(evidence)
        found = _breaches(ctx).get((self.check, evidence.pop("agreement_id")))
        return {**evidence, **(found or {})}
