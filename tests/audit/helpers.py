"""Helpers of the audit tests: tiny workspaces written as map documents, one rule evaluated on them."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from typing import Any

from mue.audit.engine import evaluate_rule
from mue.audit.results import RuleResult
from mue.audit.rules import get_rule
from mue.audit.rules.base import AuditContext
from mue.core.models import Workspace
from mue.interchange.importer import import_document

AS_OF = dt.date(2026, 3, 1)
PEOPLE = [{"slug": "alice", "name": "Alice"}, {"slug": "bob", "name": "Bob"}]


_counter = itertools.count(1)


def load(doc: dict[str, Any], slug: str | None = None) -> Workspace:
    """Import a map document (without its ``workspace`` key) as a new workspace.

    Each call makes a new workspace (``w1``, ``w2``...) rather than deleting the previous one:
    deleting a workspace with contracts is refused by ``Contract.vendor``'s PROTECT.
    """
    slug = slug or f"w{next(_counter)}"
    document = copy.deepcopy(doc)
    document["workspace"] = {"slug": slug, "name": slug.upper()}
    import_document(document)
    return Workspace.objects.get(slug=slug)


def evaluate(rule_id: str, doc: dict[str, Any], as_of: dt.date = AS_OF) -> tuple[RuleResult, set[str]]:
    """Evaluate one rule on a fresh workspace built from ``doc``: its result and the failing slugs."""
    workspace = load(doc)
    result, findings = evaluate_rule(get_rule(rule_id), AuditContext(workspace=workspace, as_of=as_of))
    return result, {f.object_slug for f in findings}


def check_fires(rule_id: str, doc: dict[str, Any], slug: str, as_of: dt.date = AS_OF) -> None:
    result, failing = evaluate(rule_id, doc, as_of)
    assert result.status == "evaluated", result
    assert slug in failing, (rule_id, failing)
    assert result.failing == len(failing) and result.scope >= result.failing


def check_passes(rule_id: str, doc: dict[str, Any], as_of: dt.date = AS_OF) -> None:
    """The rule has something in scope and nothing fails (a pass, not an empty workspace)."""
    result, failing = evaluate(rule_id, doc, as_of)
    assert result.status == "evaluated", result
    assert result.scope >= 1 and not failing, (rule_id, result.scope, failing)
    assert result.compliance == 1.0


def with_(doc: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A copy of ``doc`` with some top-level lists replaced."""
    out = copy.deepcopy(doc)
    out.update(copy.deepcopy(changes))
    return out
