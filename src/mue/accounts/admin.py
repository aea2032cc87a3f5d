"""The instance administrators' view of profiles and invitations (the owners use the members page)."""

from django.contrib import admin

from mue.accounts.models import Invitation, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "language", "time_zone"]
    list_filter = ["language"]
    search_fields = ["user__username", "user__email"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: the token exists only in the email, so an invitation cannot be re-sent from here."""

    list_display = ["email", "workspace", "role", "created", "expires", "accepted_at"]
    list_filter = ["role", "workspace"]
    search_fields = ["email"]
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
