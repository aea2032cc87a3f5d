"""``mue token create|list|revoke``: a user's personal API tokens, as on their account page."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from mue.cli.app import ExitCode, _, app, console, fail, setup_django

token_app = typer.Typer(help=_("Personal API tokens: create, list, revoke."), no_args_is_help=True)
app.add_typer(token_app, name="token")


def _user(username: str):
    from django.contrib.auth import get_user_model
    from django.utils.translation import gettext as _

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise fail(_("no user '%(user)s' (see `mue user list`)") % {"user": username}, ExitCode.NOT_FOUND)
    return user


@token_app.command("create", help=_("Create a token for a user; its secret is printed once."))
def token_create(
    username: str = typer.Argument(..., help=_("The user the token acts as.")),
    name: str = typer.Option(..., "--name", help=_("What the token is for, e.g. “inventory sync”.")),
    days: int = typer.Option(0, "--days", min=0, help=_("Expires after this many days (0: never).")),
    read_only: bool = typer.Option(False, "--read-only", help=_("The token may read, never write.")),
) -> None:
    setup_django()
    import datetime as dt

    from django.utils import timezone
    from django.utils.translation import gettext as _

    from mue.api.tokens import create_token

    if not name.strip():
        raise fail(_("the token needs a name"), ExitCode.USAGE)
    expires = timezone.now() + dt.timedelta(days=days) if days else None
    token, secret = create_token(_user(username), name, read_only=read_only, expires=expires)
    console.print(_("Token %(id)s created. Copy it now, it is shown only once:") % {"id": token.pk}, highlight=False)
    typer.echo(secret)


@token_app.command("list", help=_("List a user's tokens (never their secrets)."))
def token_list(
    username: str = typer.Argument(..., help=_("The user whose tokens to list.")),
    as_json: bool = typer.Option(False, "--json", help=_("Print the tokens as JSON.")),
) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.api.tokens import tokens_of

    rows = [{"id": t.pk, "name": t.name, "prefix": t.prefix, "read_only": t.read_only,
             "created": t.created.isoformat(), "expires": t.expires.isoformat() if t.expires else None,
             "last_used": t.last_used.isoformat() if t.last_used else None,
             "state": "revoked" if t.revoked else "expired" if t.expired else "active"}
            for t in tokens_of(_user(username))]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    states = {"active": _("active"), "revoked": _("revoked"), "expired": _("expired")}
    table = Table(_("id"), _("name"), _("token"), _("access"), _("expires"), _("last used"), _("state"))
    for row in rows:
        table.add_row(str(row["id"]), row["name"], f"{row['prefix']}…",
                      _("read-only") if row["read_only"] else _("read and write"),
                      (row["expires"] or _("never"))[:10], (row["last_used"] or "—")[:16].replace("T", " "),
                      states[row["state"]])
    console.print(table)


@token_app.command("revoke", help=_("Revoke a token (by its id, see `mue token list`)."))
def token_revoke(token_id: int = typer.Argument(..., help=_("The token's id."))) -> None:
    setup_django()
    from django.utils.translation import gettext as _

    from mue.api.models import ApiToken
    from mue.api.tokens import revoke

    token = ApiToken.objects.filter(pk=token_id).first()
    if token is None:
        raise fail(_("no token %(id)s (see `mue token list USER`)") % {"id": token_id}, ExitCode.NOT_FOUND)
    revoke(token)
    console.print(_("Token %(id)s (%(name)s) revoked.") % {"id": token.pk, "name": token.name}, highlight=False)
