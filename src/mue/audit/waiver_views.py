"""The waivers page: every accepted risk of the workspace — in force, expired or revoked — and its revocation."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mue.audit import live
from mue.audit.models import Waiver
from mue.audit.views import rule_or_none
from mue.audit.waivers import WaiverError, revoke_waiver
from mue.core.models import Workspace
from mue.core.registry import registry
from mue.web.spec import object_url
from mue.web.views.base import workspace_view


def _state(waiver: Waiver, today) -> tuple[str, str]:
    if waiver.in_force(today):
        return "in-force", _("In force")
    return ("revoked", _("Revoked")) if waiver.revoked is not None else ("expired", _("Expired"))


@workspace_view("view")
def audit_waivers(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """``/w/<ws>/audit/waivers/``: the accepted risks, newest first, with what each covers (two queries)."""
    today = timezone.localdate()
    waivers = list(Waiver.objects.filter(workspace=workspace).order_by("-created", "-id"))
    names: dict[tuple[str, str], str] = {}
    for object_type in {w.object_type for w in waivers} - {"workspace"}:
        try:
            model = registry.by_singular(object_type).model
        except KeyError:
            continue
        slugs = {w.object_slug for w in waivers if w.object_type == object_type}
        names.update({(object_type, slug): name for slug, name in
                      model.objects.filter(workspace=workspace, slug__in=slugs).values_list("slug", "name")})
    rows = []
    for waiver in waivers:
        state, label = _state(waiver, today)
        rule = rule_or_none(waiver.rule_id)
        key = (waiver.object_type, waiver.object_slug)
        url = None
        if key in names:
            url = object_url(workspace.slug, registry.by_singular(waiver.object_type), waiver.object_slug)
        rows.append({"waiver": waiver, "state": state, "state_label": label, "rule_title": rule.title if rule else "",
                     "object_name": workspace.name if waiver.object_type == "workspace" else names.get(key),
                     "object_url": url})
    return render(request, "audit/waivers.html", {"rows": rows, "may_audit": "audit" in request.workspace_actions,
                                                  "in_force": sum(1 for r in rows if r["state"] == "in-force")})


@require_POST
@workspace_view("audit")
def audit_waiver_revoke(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """Stop accepting a risk: the waiver stays on record, the finding opens again at once."""
    with transaction.atomic():
        waiver = Waiver.objects.select_for_update().filter(workspace=workspace, pk=pk).first()
        if waiver is None:
            raise Http404(_("No such waiver."))
        try:
            revoke_waiver(waiver, revoked_by=request.user.get_username())
        except WaiverError as exc:
            messages.error(request, str(exc))
            return redirect("web:audit_waivers", workspace.slug)
        live.apply_decisions(workspace)
    messages.success(request, _("Waiver revoked: %(rule)s on %(object)s is an open finding again.") % {
        "rule": waiver.rule_id, "object": f"{waiver.object_type}:{waiver.object_slug}"})
    return redirect("web:audit_waivers", workspace.slug)
