"""The accounts app's pages inside a workspace: its members (see :mod:`mue.web.pages`)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from mue.accounts import member_views as views
from mue.web.pages import pages

pages.add_urls([
    path("members/", views.member_list, name="members"),
    path("members/invite/", views.member_invite, name="member_invite"),
    path("members/create/", views.member_create, name="member_create"),
    path("members/<int:pk>/role/", views.member_role, name="member_role"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("members/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
])
pages.add_nav("workspace", _("Members"), "web:members", order=10)


def _register_membership_history() -> None:
    """Membership changes are logged (members.py): the history shows them with labels and role names."""
    from mue.core.models import Membership
    from mue.web.history import register_logged_type

    fields = {name: Membership._meta.get_field(name) for name in ("role", "can_edit")}
    register_logged_type("membership", Membership._meta.verbose_name, fields)


_register_membership_history()
