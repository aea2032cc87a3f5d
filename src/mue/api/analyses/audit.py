"""The audit through the API: start a run (a job), read runs, scores and findings, compare two runs,
record and revoke waivers, answer the questionnaire, read the rule catalogue.

The live run (the findings kept up to date after each edit, :mod:`mue.audit.live`) is read as the run
``live``: ``GET /workspaces/{workspace}/audit/runs/live/findings``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from mue.api.analyses.common import AFTER_PARAMETER, LIMIT_PARAMETER, cursor_page, iso_date, query_parameter, when
from mue.api.analyses.jobs import JobOut, job_out
from mue.api.auth import caller, workspace_for
from mue.api.errors import ERROR_RESPONSES, ApiError, invalid
from mue.api.registers import json_response, writing
from mue.audit import live
from mue.audit.choices import Answer, Domain, FindingStatus, Severity
from mue.audit.models import AuditRun, Finding, QuestionnaireAnswer, Waiver
from mue.audit.rules import catalogue
from mue.audit.store import compare, load_run
from mue.audit.waivers import WaiverError, add_waiver, answer_question, revoke_waiver
from mue.core.access import Action
from mue.core.models import Workspace
from mue.jobs import runner

router = Router(tags=["Audit"])


# -- schemas ------------------------------------------------------------------------------------------


class RunOut(Schema):
    id: int | str
    as_of: str
    started: str | None
    finished: str | None
    run_by: str
    score: float | None
    domain_scores: dict[str, Any]
    summary: dict[str, Any]
    live: bool
    findings_url: str


class RunPage(Schema):
    items: list[RunOut]
    next_cursor: str | None
    previous_cursor: str | None


class FindingOut(Schema):
    id: int
    rule: str
    domain: str
    severity: str
    status: str
    object_type: str
    object_slug: str
    object_name: str
    evidence: dict[str, Any]
    waiver: int | None


class FindingPage(Schema):
    items: list[FindingOut]
    next_cursor: str | None
    previous_cursor: str | None


class ComparedFinding(Schema):
    rule: str
    domain: str
    severity: str
    object_type: str
    object_slug: str
    object_name: str


class ComparisonOut(Schema):
    before: int
    after: int
    score: dict[str, float | None]
    domains: dict[str, dict[str, float | None]]
    new: list[ComparedFinding]
    resolved: list[ComparedFinding]
    still_open: list[ComparedFinding]
    newly_waived: list[ComparedFinding]


class WaiverIn(Schema):
    rule: str
    object: str  # TYPE:SLUG
    justification: str
    approver: str
    expires: str


class WaiverOut(Schema):
    id: int
    rule: str
    object: str
    justification: str
    approver: str
    expires: str
    recorded: str | None
    recorded_by: str
    revoked: str | None
    revoked_by: str
    in_force: bool


class AnswerIn(Schema):
    question: str
    answer: str
    answered_by: str
    note: str = ""
    answered_on: str | None = None


class AnswerOut(Schema):
    id: int
    question: str
    answer: str
    answered_by: str
    answered_on: str
    note: str


class RuleOut(Schema):
    id: str
    kind: str
    domain: str
    severity: str
    object_type: str
    title: str
    rationale: str
    remediation: str
    needs: list[str]


class StartIn(Schema):
    as_of: str | None = None


# -- runs ---------------------------------------------------------------------------------------------


def _run_out(run: AuditRun, workspace_slug: str) -> dict[str, Any]:
    key: int | str = "live" if run.live else run.pk
    return {"id": key, "as_of": run.as_of.isoformat(), "started": when(run.started), "finished": when(run.finished),
            "run_by": run.actor_name, "score": run.score, "domain_scores": run.domain_scores or {},
            "summary": run.summary or {}, "live": run.live,
            "findings_url": f"/api/v1/workspaces/{workspace_slug}/audit/runs/{key}/findings"}


def _run(workspace: Workspace, run_id: str) -> AuditRun:
    if run_id == "live":
        run = live.live_run(workspace)
        if run is None:
            raise ApiError(404, "not_found", _("This workspace has not been audited yet."))
        return run
    run = AuditRun.objects.filter(workspace=workspace, pk=int(run_id)).first() if run_id.isdigit() else None
    if run is None:
        raise ApiError(404, "not_found", _("No audit run '%(id)s' in this workspace.") % {"id": run_id})
    return run


@router.post("/workspaces/{workspace}/audit/runs", response={202: JobOut, **ERROR_RESPONSES},
             operation_id="start_audit", summary="Audit the workspace (a job: poll its url)",
             description="Evaluates every rule; the run is kept as a snapshot and becomes the live findings. "
                         "Answers at once with the job; if an audit is already running, with that one.")
def start_audit(request: HttpRequest, workspace: str, payload: StartIn | None = None) -> Status:
    ws = workspace_for(request, workspace, Action.AUDIT)
    as_of = iso_date(payload.as_of if payload else None, "as_of")
    with transaction.atomic():
        job = runner.running(ws, "audit") or runner.submit(
            "audit", ws, caller(request), **({"as_of": as_of.isoformat()} if as_of else {}))
    return Status(202, job_out(job, ws.slug))


@router.get("/workspaces/{workspace}/audit/runs", response={200: RunPage, **ERROR_RESPONSES},
            operation_id="list_audit_runs", summary="The audit runs, newest first",
            openapi_extra={"parameters": [LIMIT_PARAMETER, AFTER_PARAMETER]})
def list_runs(request: HttpRequest, workspace: str) -> dict[str, Any]:
    ws = workspace_for(request, workspace)
    runs = AuditRun.objects.filter(workspace=ws).defer("rule_results")
    page = cursor_page(request, runs, "started", descending=True)
    return {"items": [_run_out(r, ws.slug) for r in page.rows], "next_cursor": page.next_cursor,
            "previous_cursor": page.previous_cursor}


@router.get("/workspaces/{workspace}/audit/runs/{run}", response={200: RunOut, **ERROR_RESPONSES},
            operation_id="get_audit_run", summary="One run (or `live`): its score, scores per domain, counts")
def get_run(request: HttpRequest, workspace: str, run: str) -> dict[str, Any]:
    ws = workspace_for(request, workspace)
    return _run_out(_run(ws, run), ws.slug)


_FINDING_FILTERS = {"domain": Domain.values, "severity": Severity.values, "status": FindingStatus.values}


@router.get("/workspaces/{workspace}/audit/runs/{run}/findings", response={200: FindingPage, **ERROR_RESPONSES},
            operation_id="list_findings", summary="The findings of a run (or of `live`), by rule",
            openapi_extra={"parameters": [
                query_parameter("domain", {"type": "string", "enum": Domain.values}, "Only this domain."),
                query_parameter("severity", {"type": "string", "enum": Severity.values}, "Only this severity."),
                query_parameter("status", {"type": "string", "enum": FindingStatus.values}, "open or waived."),
                query_parameter("rule", {"type": "string", "maxLength": 20}, "Only this rule (e.g. CON-001)."),
                query_parameter("object_type", {"type": "string", "maxLength": 50}, "Only objects of this type."),
                query_parameter("object", {"type": "string", "maxLength": 100}, "Only this object's slug."),
                LIMIT_PARAMETER, AFTER_PARAMETER]})
def list_findings(request: HttpRequest, workspace: str, run: str) -> dict[str, Any]:
    ws = workspace_for(request, workspace)
    found = Finding.objects.filter(run=_run(ws, run))
    params = request.GET
    for name, values in _FINDING_FILTERS.items():
        if params.get(name):
            if params[name] not in values:
                raise invalid([{"field": name, "message": _("one of %(values)s") % {"values": ", ".join(values)}}])
            found = found.filter(**{name: params[name]})
    for name, column in (("rule", "rule_id"), ("object_type", "object_type"), ("object", "object_slug")):
        if params.get(name):
            found = found.filter(**{column: params[name].upper() if name == "rule" else params[name]})
    page = cursor_page(request, found, "rule_id", descending=False)
    return {"items": [{"id": f.pk, "rule": f.rule_id, "domain": f.domain, "severity": f.severity, "status": f.status,
                       "object_type": f.object_type, "object_slug": f.object_slug, "object_name": f.object_name,
                       "evidence": f.evidence, "waiver": f.waiver_id} for f in page.rows],
            "next_cursor": page.next_cursor, "previous_cursor": page.previous_cursor}


def _compared(findings: list) -> list[dict[str, Any]]:
    return [{"rule": f.rule_id, "domain": f.domain, "severity": f.severity, "object_type": f.object_type,
             "object_slug": f.object_slug, "object_name": f.object_name} for f in findings]


@router.get("/workspaces/{workspace}/audit/compare", response={200: ComparisonOut, **ERROR_RESPONSES},
            operation_id="compare_audit_runs", summary="What changed from one run to another",
            openapi_extra={"parameters": [
                query_parameter("before", {"type": "integer"}, "The earlier run.", required=True),
                query_parameter("after", {"type": "integer"}, "The later run.", required=True)]})
def compare_runs(request: HttpRequest, workspace: str) -> dict[str, Any]:
    ws = workspace_for(request, workspace)
    ids = {}
    for name in ("before", "after"):
        value = request.GET.get(name, "")
        if not value.isdigit():
            raise invalid([{"field": name, "message": _("the id of an audit run is expected")}])
        ids[name] = value
    comparison = compare(load_run(_run(ws, ids["before"])), load_run(_run(ws, ids["after"])))
    return {"before": comparison.before, "after": comparison.after,
            "score": {"before": comparison.score_before, "after": comparison.score_after},
            "domains": {k: {"before": b, "after": a} for k, (b, a) in comparison.domain_scores.items()},
            "new": _compared(comparison.new), "resolved": _compared(comparison.fixed),
            "still_open": _compared(comparison.still_open), "newly_waived": _compared(comparison.newly_waived)}


# -- waivers and answers ------------------------------------------------------------------------------


def _waiver_out(waiver: Waiver) -> dict[str, Any]:
    from django.utils import timezone

    return {"id": waiver.pk, "rule": waiver.rule_id, "object": f"{waiver.object_type}:{waiver.object_slug}",
            "justification": waiver.justification, "approver": waiver.approver,
            "expires": waiver.expires.isoformat(), "recorded": when(waiver.created), "recorded_by": waiver.created_by,
            "revoked": when(waiver.revoked), "revoked_by": waiver.revoked_by,
            "in_force": waiver.in_force(timezone.localdate())}


@router.get("/workspaces/{workspace}/audit/waivers", response={200: list[WaiverOut], **ERROR_RESPONSES},
            operation_id="list_waivers", summary="The accepted risks, revoked ones included",
            openapi_extra={"parameters": [query_parameter("in_force", {"type": "boolean"},
                                                          "Only the waivers in force (true) or not (false).")]})
def list_waivers(request: HttpRequest, workspace: str) -> list[dict[str, Any]]:
    ws = workspace_for(request, workspace)
    out = [_waiver_out(w) for w in Waiver.objects.filter(workspace=ws)]
    wanted = request.GET.get("in_force")
    if wanted in ("true", "false"):
        out = [w for w in out if w["in_force"] == (wanted == "true")]
    elif wanted:
        raise invalid([{"field": "in_force", "message": _("true or false")}])
    return out


def _waiver_error(exc: WaiverError, field: str | None = None) -> ApiError:
    return invalid([{"field": field, "message": str(exc)}])


@router.post("/workspaces/{workspace}/audit/waivers", response={201: WaiverOut, **ERROR_RESPONSES},
             operation_id="create_waiver", summary="Accept the risk of one finding until a date")
def create_waiver(request: HttpRequest, workspace: str, payload: WaiverIn) -> Status:
    ws = workspace_for(request, workspace, Action.AUDIT)
    expires = iso_date(payload.expires, "expires")
    with writing(request):
        try:
            waiver = add_waiver(ws, payload.rule, payload.object, justification=payload.justification,
                                approver=payload.approver, expires=expires,
                                recorded_by=caller(request).get_username())
        except WaiverError as exc:
            raise _waiver_error(exc) from None
        live.apply_decisions(ws)
    return Status(201, _waiver_out(waiver))


@router.delete("/workspaces/{workspace}/audit/waivers/{waiver_id}", response={200: WaiverOut, **ERROR_RESPONSES},
               operation_id="revoke_waiver", summary="Revoke a waiver (it stays on record; the finding opens again)")
def delete_waiver(request: HttpRequest, workspace: str, waiver_id: int) -> dict[str, Any]:
    ws = workspace_for(request, workspace, Action.AUDIT)
    with writing(request):
        waiver = Waiver.objects.select_for_update().filter(workspace=ws, pk=waiver_id).first()
        if waiver is None:
            raise ApiError(404, "not_found", _("No waiver %(id)s in this workspace.") % {"id": waiver_id})
        try:
            revoke_waiver(waiver, revoked_by=caller(request).get_username())
        except WaiverError as exc:
            raise ApiError(409, "conflict", str(exc)) from None
        live.apply_decisions(ws)
    return _waiver_out(waiver)


def _answer_out(answer: QuestionnaireAnswer) -> dict[str, Any]:
    return {"id": answer.pk, "question": answer.question_id, "answer": answer.answer,
            "answered_by": answer.answered_by, "answered_on": answer.answered_on.isoformat(), "note": answer.note}


@router.get("/workspaces/{workspace}/audit/answers", response={200: list[AnswerOut], **ERROR_RESPONSES},
            operation_id="list_answers", summary="The questionnaire's answers, latest first per question")
def list_answers(request: HttpRequest, workspace: str) -> list[dict[str, Any]]:
    ws = workspace_for(request, workspace)
    return [_answer_out(a) for a in QuestionnaireAnswer.objects.filter(workspace=ws)]


@router.post("/workspaces/{workspace}/audit/answers", response={201: AnswerOut, **ERROR_RESPONSES},
             operation_id="answer_question", summary="Answer a questionnaire item (the latest answer counts)",
             description=f"`answer`: one of {', '.join(Answer.values)}.")
def create_answer(request: HttpRequest, workspace: str, payload: AnswerIn) -> Status:
    ws = workspace_for(request, workspace, Action.AUDIT)
    on = iso_date(payload.answered_on, "answered_on")
    with writing(request):
        try:
            answer = answer_question(ws, payload.question, payload.answer, answered_by=payload.answered_by,
                                     note=payload.note, answered_on=on)
        except (WaiverError, KeyError) as exc:
            raise _waiver_error(exc if isinstance(exc, WaiverError) else WaiverError(str(exc))) from None
        live.apply_decisions(ws)
    return Status(201, _answer_out(answer))


# -- the catalogue ------------------------------------------------------------------------------------


@router.get("/audit/rules", response={200: list[RuleOut], **ERROR_RESPONSES}, operation_id="list_rules",
            summary="Every rule and questionnaire item, in the caller's language")
def list_rules(request: HttpRequest) -> HttpResponse:
    return json_response([{"id": r.id, "kind": r.kind, "domain": r.domain, "severity": r.severity,
                           "object_type": r.object_type, "title": str(r.title), "rationale": str(r.rationale),
                           "remediation": str(r.remediation), "needs": list(r.needs)} for r in catalogue()])

