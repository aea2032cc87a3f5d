"""Recording requests for information (RFI) sent to vendors and their answers (the page and the CLI).

The charter's transparency on vendor choices: what was asked of whom and when, and what each
answered; every report lists them (:func:`mue.reports.interests.requests_of`).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from mue.core.models import Workspace
from mue.reports.models import InformationRequest, RequestRecipient
from mue.vendors.models import ExternalParty


class RequestError(ValueError):
    """A request or an answer that cannot be recorded; the message says why."""


def _parties(workspace: Workspace, slugs: list[str]) -> list[ExternalParty]:
    wanted = [s.strip() for s in slugs if s.strip()]
    if not wanted:
        raise RequestError(_("name at least one vendor the request went to"))
    found = {p.slug: p for p in ExternalParty.objects.in_workspace(workspace).filter(slug__in=wanted)}
    missing = [s for s in wanted if s not in found]
    if missing:
        raise RequestError(_("no vendor '%(slug)s' in this workspace") % {"slug": missing[0]})
    return [found[s] for s in dict.fromkeys(wanted)]


@transaction.atomic
def record_request(workspace: Workspace, subject: str, recipients: list[str], *, question: str = "",
                   sent_on: dt.date | None = None) -> InformationRequest:
    """A request sent on ``sent_on`` (today by default) to the vendors of slugs ``recipients``."""
    if not subject.strip():
        raise RequestError(_("a request needs a subject"))
    parties = _parties(workspace, recipients)
    request = InformationRequest.objects.create(workspace=workspace, subject=subject.strip()[:200],
                                                question=question.strip(), sent_on=sent_on or dt.date.today())
    RequestRecipient.objects.bulk_create([RequestRecipient(request=request, party=p) for p in parties])
    return request


def record_answer(workspace: Workspace, request_id: int, vendor: str, answer: str, *,
                  answered_on: dt.date | None = None) -> RequestRecipient:
    """The answer of vendor ``vendor`` (slug) to request ``request_id`` (replacing an earlier one)."""
    recipient = (RequestRecipient.objects.filter(request__workspace=workspace, request_id=request_id,
                                                 party__slug=vendor).select_related("party", "request").first())
    if recipient is None:
        raise RequestError(_("request %(id)s was not sent to '%(vendor)s' in this workspace")
                           % {"id": request_id, "vendor": vendor})
    if not answer.strip():
        raise RequestError(_("the answer is empty"))
    recipient.answer, recipient.answered_on = answer.strip(), answered_on or dt.date.today()
    recipient.save(update_fields=["answer", "answered_on"])
    return recipient
