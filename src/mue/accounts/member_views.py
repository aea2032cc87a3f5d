"""A workspace's members page: every member reads it; owners invite, change roles and remove.

The owners' actions are POST-only views behind ``workspace_view("admin")``: for anyone else they
answer 404, as every workspace page the user may not act on does.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mue.accounts import members
from mue.accounts.forms import CreateMemberForm, InviteForm, RoleForm
from mue.accounts.models import INVITATION_VALIDITY, Invitation, profile_of
from mue.core.access import Action
from mue.core.models import Membership, Role, Workspace
from mue.web.views.base import workspace_view

_ROLE_ORDER = {role: i for i, role in enumerate(Role.values)}


def _page(request: HttpRequest, workspace: Workspace, invite_form: InviteForm | None = None,
          create_form: CreateMemberForm | None = None, status: int = 200) -> HttpResponse:
    is_owner = Action.ADMIN in request.workspace_actions
    memberships = sorted(Membership.objects.filter(workspace=workspace).select_related("user"),
                         key=lambda m: (_ROLE_ORDER.get(m.role, 99), m.user.get_username().lower()))
    rows = [{"membership": m,
             "form": RoleForm(initial={"role": m.role, "can_edit": m.can_edit}, auto_id=f"id_m{m.pk}_%s")
             if is_owner else None}
            for m in memberships]
    context = {
        "rows": rows,
        "is_owner": is_owner,
        "invitations": Invitation.objects.filter(workspace=workspace).pending().select_related("invited_by")
        if is_owner else [],
        "invite_form": invite_form or InviteForm(auto_id="id_invite_%s"),
        "create_form": create_form or CreateMemberForm(auto_id="id_create_%s"),
    }
    return render(request, "accounts/members.html", context, status=status)


@workspace_view(Action.VIEW)
def member_list(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    return _page(request, workspace)


def _send_invitation(request: HttpRequest, invitation: Invitation, token: str) -> None:
    link = request.build_absolute_uri(reverse("accounts:invitation", args=[token]))
    context = {"invitation": invitation, "link": link, "days": INVITATION_VALIDITY.days,
               "inviter": request.user.get_full_name() or request.user.get_username(),
               "role": invitation.get_role_display()}
    subject = _("You are invited to %(workspace)s on Mue") % {"workspace": invitation.workspace.name}
    body = render_to_string("accounts/email/invitation.txt", context, request=request)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])


@workspace_view(Action.ADMIN)
@require_POST
def member_invite(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    form = InviteForm(request.POST, auto_id="id_invite_%s")
    if form.is_valid():
        email = form.cleaned_data["email"]
        if Membership.objects.filter(workspace=workspace, user__email__iexact=email).exists():
            form.add_error("email", _("Someone with this email is already a member."))
        else:
            with transaction.atomic():
                invitation, token = Invitation.create(workspace, email, form.cleaned_data["role"],
                                                      form.cleaned_data["can_edit"], invited_by=request.user)
                _send_invitation(request, invitation, token)
            messages.success(request, _("An invitation was sent to %(email)s.") % {"email": email})
            return redirect("web:members", workspace.slug)
    return _page(request, workspace, invite_form=form, status=400)


@workspace_view(Action.ADMIN)
@require_POST
@never_cache
def member_create(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """Create the account and the membership; the password is shown once, on the answer page."""
    form = CreateMemberForm(request.POST, auto_id="id_create_%s")
    if not form.is_valid():
        return _page(request, workspace, create_form=form, status=400)
    password = secrets.token_urlsafe(12)
    with transaction.atomic():
        user = get_user_model().objects.create_user(form.cleaned_data["username"], form.cleaned_data["email"],
                                                    password)
        profile_of(user)
        membership = members.add_member(workspace, user, form.cleaned_data["role"], form.cleaned_data["can_edit"])
    return render(request, "accounts/member_created.html",
                  {"membership": membership, "password": password, "login_url":
                   request.build_absolute_uri(reverse("accounts:login"))})


@workspace_view(Action.ADMIN)
@require_POST
def member_role(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk, workspace=workspace)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
        return redirect("web:members", workspace.slug)
    try:
        members.change_role(membership, form.cleaned_data["role"], form.cleaned_data["can_edit"])
    except members.MembershipError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(user)s is now %(role)s.")
                         % {"user": membership.user.get_username(), "role": membership.get_role_display().lower()})
    return redirect("web:members", workspace.slug)


@workspace_view(Action.ADMIN)
@require_POST
def member_remove(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk, workspace=workspace)
    try:
        members.remove_member(membership)
    except members.MembershipError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(user)s is no longer a member of this workspace.")
                         % {"user": membership.user.get_username()})
        if membership.user_id == request.user.pk:
            return redirect("web:home")
    return redirect("web:members", workspace.slug)


@workspace_view(Action.ADMIN)
@require_POST
def invitation_revoke(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.filter(workspace=workspace).pending(), pk=pk)
    invitation.delete()
    messages.success(request, _("The invitation to %(email)s was withdrawn; its link no longer works.")
                     % {"email": invitation.email})
    return redirect("web:members", workspace.slug)
