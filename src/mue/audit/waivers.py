"""Recording waivers (accepted risks) and questionnaire answers, with their checks."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext

from mue.audit.choices import Answer
from mue.audit.models import QuestionnaireAnswer, Waiver
from mue.audit.rules import get_rule
from mue.core.models import Workspace
from mue.core.registry import registry


class WaiverError(ValueError):
    """A waiver or an answer that cannot be recorded; the message says why."""


def _rule(rule_id: str):
    try:
        return get_rule(rule_id)
    except KeyError:
        raise WaiverError(gettext("unknown rule '%(rule)s' (see `mue rules`)") % {"rule": rule_id}) from None


def add_waiver(workspace: Workspace, rule_id: str, target: str, *, justification: str, approver: str,
               expires: dt.date, recorded_by: str = "") -> Waiver:
    """Accept the risk of ``rule_id`` failing on ``target`` ("service:cantine") until ``expires``."""
    rule = _rule(rule_id)
    object_type, _sep, slug = target.partition(":")
    if not slug:
        raise WaiverError(gettext("name the object as TYPE:SLUG, e.g. service:cantine"))
    if object_type != rule.object_type:
        raise WaiverError(gettext("rule %(rule)s judges %(expected)s objects, not %(given)s")
                          % {"rule": rule.id, "expected": rule.object_type, "given": object_type})
    if object_type == "workspace":
        if slug != workspace.slug:
            raise WaiverError(gettext("questionnaire waivers name the workspace itself: workspace:%(slug)s")
                              % {"slug": workspace.slug})
    elif not registry.by_singular(object_type).model.objects.filter(workspace=workspace, slug=slug).exists():
        raise WaiverError(gettext("no %(type)s '%(slug)s' in this workspace") % {"type": object_type, "slug": slug})
    if not justification.strip() or not approver.strip():
        raise WaiverError(gettext("a waiver needs a justification and an approver"))
    if expires < timezone.localdate():
        raise WaiverError(gettext("the expiry date is in the past"))
    return Waiver.objects.create(workspace=workspace, rule_id=rule.id, object_type=object_type, object_slug=slug,
                                 justification=justification.strip(), approver=approver.strip(), expires=expires,
                                 created_by=recorded_by)


def answer_question(workspace: Workspace, question_id: str, answer: str, *, answered_by: str, note: str = "",
                    answered_on: dt.date | None = None) -> QuestionnaireAnswer:
    """Record a person's answer to a questionnaire item (the latest answer counts; history is kept)."""
    question = _rule(question_id)
    if question.kind != "declared":
        raise WaiverError(gettext("%(rule)s is observed from the data, not answered") % {"rule": question.id})
    if answer not in Answer.values:
        raise WaiverError(gettext("answer one of: %(values)s") % {"values": ", ".join(Answer.values)})
    if not answered_by.strip():
        raise WaiverError(gettext("say who answers"))
    return QuestionnaireAnswer.objects.create(workspace=workspace, question_id=question.id, answer=answer,
                                              answered_by=answered_by.strip(), note=note,
                                              answered_on=answered_on or timezone.localdate())


def revoke_waiver(waiver: Waiver, *, revoked_by: str) -> Waiver:
    """Stop accepting the risk: the finding opens again at the next evaluation; the waiver stays on record."""
    if waiver.revoked is not None:
        raise WaiverError(gettext("this waiver was revoked already"))
    waiver.revoked, waiver.revoked_by = timezone.now(), revoked_by
    waiver.save(update_fields=["revoked", "revoked_by"])
    return waiver
