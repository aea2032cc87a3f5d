"""Account commands: ``mue user add|list|passwd`` and ``mue member add|list|remove``.

Memberships change through :mod:`mue.accounts.members`, as on the members page, so the same rules
(a workspace keeps an owner) and the same change-log entries apply.
"""

from __future__ import annotations

import json

import typer
from rich.table import Table

from mue.cli.app import ExitCode, _, app, console, fail, setup_django, workspace_option, workspace_or_exit
from mue.cli.group import MueGroup

user_app = typer.Typer(help=_("User accounts: add, list, change a password."), no_args_is_help=True, cls=MueGroup)
member_app = typer.Typer(help=_("Members of a workspace and their roles."), no_args_is_help=True, cls=MueGroup)
app.add_typer(user_app, name="user")
app.add_typer(member_app, name="member")

ROLE_HELP = _("owner, editor, auditor or viewer.")


def _user_or_exit(identifier: str):
    """The account of that user name (or, failing that, that email), else exit NOT_FOUND."""
    from django.contrib.auth import get_user_model
    from django.utils.translation import gettext as _

    User = get_user_model()
    user = User.objects.filter(username=identifier).first()
    if user is None and "@" in identifier:
        matches = list(User.objects.filter(email__iexact=identifier)[:2])
        user = matches[0] if len(matches) == 1 else None
    if user is None:
        raise fail(_("no user '%(user)s' (see `mue user list`)") % {"user": identifier}, ExitCode.NOT_FOUND)
    return user


def _role_label(role: str) -> str:
    """A role as people read it, in the command's language (never the stored key)."""
    from mue.core.models import Role

    return str(Role(role).label).lower()


def _role_or_exit(role: str) -> str:
    from django.utils.translation import gettext as _

    from mue.core.models import Role

    if role not in Role.values:
        raise fail(_("unknown role '%(role)s' (one of %(roles)s)") % {"role": role, "roles": ", ".join(Role.values)},
                   ExitCode.USAGE)
    return role


def _password_or_exit(password: str | None, user=None) -> str:
    """The given password, or one typed twice; checked against the instance's password rules."""
    from django.contrib.auth import password_validation
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if password is None:
        password = typer.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise fail(" ".join(exc.messages), ExitCode.INVALID_INPUT) from None
    return password


def _cli_context(message: str):
    from mue.core.changelog import change_context

    return change_context(actor_name="cli", source="cli", message=message)


@user_app.command("add", help=_("Create a user account, optionally a member of a workspace."))
def user_add(
    username: str = typer.Argument(..., help=_("User name (letters, digits and @ . + - _).")),
    email: str = typer.Option("", "--email", help=_("Email address (for password resets and invitations).")),
    password: str | None = typer.Option(None, "--password", help=_("Password; asked twice when absent.")),
    superuser: bool = typer.Option(False, "--superuser", help=_("Site administrator (the instance, not content).")),
    workspace: str | None = workspace_option(_("Make the user a member of this workspace."), required=False),
    role: str = typer.Option("viewer", "--role", help=ROLE_HELP),
    can_edit: bool = typer.Option(False, "--can-edit", help=_("An auditor may also edit the register.")),
) -> None:
    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email
    from django.db import transaction
    from django.utils.translation import gettext as _

    from mue.accounts.members import add_member
    from mue.accounts.models import profile_of

    User = get_user_model()
    try:
        User.username_validator(username)
        if email:
            validate_email(email)
    except ValidationError as exc:
        raise fail(" ".join(exc.messages), ExitCode.INVALID_INPUT) from None
    if User.objects.filter(username__iexact=username).exists():
        raise fail(_("user '%(user)s' already exists") % {"user": username}, ExitCode.INVALID_INPUT)
    ws = workspace_or_exit(workspace) if workspace else None
    _role_or_exit(role)
    password = _password_or_exit(password)
    with _cli_context(f"mue user add {username}"), transaction.atomic():
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(username, email, password)
        profile_of(user)
        if ws is not None:
            add_member(ws, user, role, can_edit)
    console.print(_("User %(user)s created.") % {"user": f"[bold]{username}[/]"})
    if ws is not None:
        console.print(_("%(user)s is %(role)s of %(workspace)s.")
                      % {"user": username, "role": _role_label(role), "workspace": ws.slug})


@user_app.command("list", help=_("List the user accounts and their memberships."))
def user_list(as_json: bool = typer.Option(False, "--json", help=_("Print the accounts as JSON."))) -> None:
    setup_django()
    from django.contrib.auth import get_user_model
    from django.utils.translation import gettext as _

    users = get_user_model().objects.order_by("username").prefetch_related("memberships__workspace")
    rows = [{"username": u.username, "email": u.email, "superuser": u.is_superuser, "active": u.is_active,
             "memberships": [{"workspace": m.workspace.slug, "role": m.role, "can_edit": m.can_edit}
                             for m in sorted(u.memberships.all(), key=lambda m: m.workspace.slug)]}
            for u in users]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(_("user"), _("email"), _("administrator"), _("active"), _("memberships"))
    for row in rows:
        memberships = ", ".join(f"{m['workspace']}:{m['role']}{'+edit' if m['can_edit'] else ''}"
                                for m in row["memberships"])
        table.add_row(row["username"], row["email"], _("yes") if row["superuser"] else "",
                      _("yes") if row["active"] else _("no"), memberships or "—")
    console.print(table)


@user_app.command("passwd", help=_("Set a user's password (asked twice when --password is absent)."))
def user_passwd(
    username: str = typer.Argument(..., help=_("User name or email.")),
    password: str | None = typer.Option(None, "--password", help=_("New password; asked twice when absent.")),
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    user = _user_or_exit(username)
    user.set_password(_password_or_exit(password, user))
    user.save(update_fields=["password"])
    console.print(_("Password of %(user)s changed.") % {"user": f"[bold]{user.username}[/]"})


@member_app.command("add", help=_("Make a user a member of a workspace (or change their role)."))
def member_add(
    workspace: str = workspace_option(),
    user: str = typer.Argument(..., help=_("User name or email.")),
    role: str = typer.Option(..., "--role", help=ROLE_HELP),
    can_edit: bool = typer.Option(False, "--can-edit", help=_("An auditor may also edit the register.")),
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.accounts.members import MembershipError, add_member

    ws = workspace_or_exit(workspace)
    account = _user_or_exit(user)
    _role_or_exit(role)
    try:
        with _cli_context(f"mue member add -w {ws.slug} {account.username}"):
            add_member(ws, account, role, can_edit)
    except MembershipError as exc:
        raise fail(str(exc), ExitCode.INVALID_INPUT) from None
    console.print(_("%(user)s is %(role)s of %(workspace)s.")
                  % {"user": account.username, "role": _role_label(role), "workspace": ws.slug})


@member_app.command("list", help=_("List a workspace's members and their roles."))
def member_list(
    workspace: str = workspace_option(),
    as_json: bool = typer.Option(False, "--json", help=_("Print the members as JSON.")),
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.core.models import Membership

    ws = workspace_or_exit(workspace)
    rows = [{"username": m.user.username, "email": m.user.email, "role": m.role, "can_edit": m.can_edit}
            for m in Membership.objects.filter(workspace=ws).select_related("user").order_by("user__username")]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(_("user"), _("email"), _("role"), _("may also edit"), title=ws.name)
    for row in rows:
        table.add_row(row["username"], row["email"], _role_label(row["role"]), _("yes") if row["can_edit"] else "")
    console.print(table)


@member_app.command("remove", help=_("Remove a user from a workspace (a workspace keeps at least one owner)."))
def member_remove(
    workspace: str = workspace_option(),
    user: str = typer.Argument(..., help=_("User name or email.")),
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.accounts.members import MembershipError, remove_member
    from mue.core.models import Membership

    ws = workspace_or_exit(workspace)
    account = _user_or_exit(user)
    membership = Membership.objects.filter(workspace=ws, user=account).select_related("user").first()
    if membership is None:
        raise fail(_("%(user)s is not a member of %(workspace)s") % {"user": account.username, "workspace": ws.slug},
                   ExitCode.NOT_FOUND)
    try:
        with _cli_context(f"mue member remove -w {ws.slug} {account.username}"):
            remove_member(membership)
    except MembershipError as exc:
        raise fail(str(exc), ExitCode.INVALID_INPUT) from None
    console.print(_("%(user)s is no longer a member of %(workspace)s.")
                  % {"user": account.username, "workspace": ws.slug})
