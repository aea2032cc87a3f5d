"""The user's own pages: profile, the lock-out page, accepting an invitation."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mue.accounts import members
from mue.accounts.forms import AcceptInvitationForm, ProfileForm
from mue.accounts.models import Invitation, profile_of
from mue.core.models import Membership
from mue.web.views.base import signed_in

#: The backend a freshly created account is signed in with (several are configured).
BACKEND = "mue.accounts.backends.UsernameOrEmailBackend"


@signed_in
def profile(request: HttpRequest) -> HttpResponse:
    """Name, email, language and time zone; the language applies from the next page on."""
    form = ProfileForm(request.POST or None, instance=profile_of(request.user), user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        translation.activate(saved.language)
        messages.success(request, _("Your account was saved."))
        return redirect("accounts:profile")
    memberships = Membership.objects.filter(user=request.user).select_related("workspace").order_by("workspace__name")
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships})


def locked_out(request: HttpRequest, original_response: HttpResponse | None = None,
               credentials: dict | None = None) -> HttpResponse:
    """django-axes' answer once an identifier has failed too often (settings.AXES_LOCKOUT_CALLABLE)."""
    minutes = max(1, round(float(settings.AXES_COOLOFF_TIME) * 60))
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=settings.AXES_HTTP_RESPONSE_CODE)


@transaction.atomic
def _join(invitation: Invitation, user) -> bool:
    """Make ``user`` a member as invited (a member already there keeps their role); False if the
    invitation was used meanwhile."""
    used = (Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True)
            .update(accepted_at=timezone.now(), accepted_by=user))
    if not used:
        return False
    if not Membership.objects.filter(workspace=invitation.workspace, user=user).exists():
        members.add_member(invitation.workspace, user, invitation.role, invitation.can_edit)
    return True


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link of an invitation email: join (signed in), or create an account or sign in first."""
    invitation = Invitation.objects.by_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    workspace = invitation.workspace
    if request.user.is_authenticated:
        membership = Membership.objects.filter(workspace=workspace, user=request.user).first()
        if request.method == "POST":
            if _join(invitation, request.user):
                messages.success(request, _("You joined %(workspace)s.") % {"workspace": workspace.name})
            return redirect("web:workspace", workspace.slug)
        return render(request, "accounts/invitation.html", {"invitation": invitation, "membership": membership})
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = get_user_model().objects.create_user(form.cleaned_data["username"], invitation.email,
                                                        form.cleaned_data["password1"])
            profile_of(user)
            joined = _join(invitation, user)
        if joined:
            login(request, user, backend=BACKEND)
            messages.success(request, _("Welcome! You joined %(workspace)s.") % {"workspace": workspace.name})
            return redirect("web:workspace", workspace.slug)
        return render(request, "accounts/invitation_invalid.html", status=404)
    return render(request, "accounts/invitation_signup.html", {"invitation": invitation, "form": form})
