"""`steward tokens`: personal API tokens for the HTTP server (`steward serve`)."""

from __future__ import annotations

from typing import Optional

import typer
from rich.table import Table

from services import formats
from services.entrypoints.cli.common import connect, console

app = typer.Typer(help="Personal API tokens for `steward serve`: shown once, stored hashed.", no_args_is_help=True)


@app.command("create")
def create(
    ctx: typer.Context,
    user: str = typer.Option(..., "--user", help="Whose token (admins: anyone; others: their own login)."),
    scope: str = typer.Option("read", "--scope", help="read, or write (may also change data)."),
    expires: Optional[str] = typer.Option(None, "--expires", help="A duration (90d, 12h, 2w) or an ISO time; "
                                                                  "default: never."),
    label: Optional[str] = typer.Option(None, "--label", help="What the token is for, to tell it apart later."),
) -> None:
    """Make a token for a person and print it once; only its hash is kept."""
    with connect(ctx.obj) as svc:
        token = svc.tokens.create(user, scope=scope.lower(), expires=expires, label=label)
    until = f"until {formats.current().moment(token.expires_at)}" if token.expires_at else "without expiry"
    console.print(f"Token {token.prefix}… for {token.login} ({token.scope}, {until}). It is shown only now:",
                  highlight=False)
    print(token.token)


@app.command("list")
def list_(
    ctx: typer.Context,
    user: Optional[str] = typer.Option(None, "--user", help="Only this person's tokens."),
    all_: bool = typer.Option(False, "--all", help="Also revoked and expired ones."),
) -> None:
    """Your tokens (admins: everyone's), without the tokens themselves."""
    with connect(ctx.obj) as svc:
        tokens = svc.tokens.list(user, include_inactive=all_)
    table = Table("id", "prefix", "user", "scope", "label", "created", "expires", "last used", "state")
    for t in tokens:
        table.add_row(str(t.id), t.prefix, t.login, t.scope, t.label or "", formats.current().day(t.created_at.date()),
                      formats.current().moment(t.expires_at) if t.expires_at else "never",
                      formats.current().moment(t.last_used_at) if t.last_used_at else "", t.state)
    console.print(table)


@app.command("revoke")
def revoke(ctx: typer.Context, token: str = typer.Argument(..., help="The token's id or prefix (stw_1a2b3c4d).")) -> None:
    """Revoke a token: every request with it is refused from now on."""
    with connect(ctx.obj) as svc:
        revoked = svc.tokens.revoke(token)
    console.print(f"Revoked {revoked.prefix}… of {revoked.login}.", highlight=False)
